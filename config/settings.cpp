#include "config/settings.hpp"

#include "actors/common/errors.hpp"
#include "base/net/host.hpp"

#include "config/toml_text.hpp"

#include <toml.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace sof::config {
namespace {

// Reads one TOML table into typed fields and remembers which keys it used,
// so that unknown keys (typos) can be reported instead of ignored.
class table_reader {
 public:
  table_reader(const toml::value* table, std::string path)
    : table_(table), path_(std::move(path)) {
  }

  template <class T>
  void read(const char* key, T& out) {
    seen_.insert(key);
    if (!table_ || !table_->contains(key))
      return;
    const auto& v = table_->at(key);
    try {
      if constexpr (std::is_same_v<T, std::string>) {
        out = toml::get<std::string>(v);
      } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        std::vector<std::string> items;
        for (const auto& item : v.as_array())
          items.push_back(toml::get<std::string>(item));
        out = std::move(items);
      } else if constexpr (std::is_same_v<T, bool>) {
        out = v.as_boolean();
      } else if constexpr (std::is_same_v<T, double>) {
        out = v.is_integer() ? static_cast<double>(v.as_integer())
                             : v.as_floating();
      } else if constexpr (std::is_same_v<T, uint64_t>) {
        auto i = v.as_integer();
        if (i < 0)
          throw std::runtime_error("must not be negative");
        out = static_cast<uint64_t>(i);
      } else {
        out = static_cast<T>(v.as_integer());
      }
    } catch (const std::exception&) {
      errors_ += path_ + key + ": wrong type; ";
    }
  }

  table_reader sub(const char* key) {
    seen_.insert(key);
    if (!table_ || !table_->contains(key))
      return table_reader{nullptr, path_ + key + "."};
    const auto& v = table_->at(key);
    if (!v.is_table()) {
      errors_ += path_ + key + ": expected a table; ";
      return table_reader{nullptr, path_ + key + "."};
    }
    return table_reader{&v, path_ + key + "."};
  }

  /// Collects this table's errors and unknown keys (children first).
  std::string finish(std::initializer_list<table_reader*> children = {}) {
    std::string out;
    for (auto* c : children)
      out += c->finish();
    out += errors_;
    if (table_) {
      for (const auto& [k, _] : table_->as_table())
        if (!seen_.count(k))
          out += "unknown key '" + path_ + k + "'; ";
    }
    return out;
  }

 private:
  const toml::value* table_;
  std::string path_;
  std::set<std::string> seen_;
  std::string errors_;
};

}  // namespace

std::string default_config_path() {
  return std::string{SOF_SOURCE_DIR} + "/config/sof.toml";
}

caf::expected<settings> parse(const std::string& toml_text,
                              const std::string& origin, settings s) {
  auto parsed = parse_toml(toml_text, origin);
  if (!parsed)
    return parsed.error();
  const toml::value& root = *parsed;
  table_reader top{&root, ""};
  auto log = top.sub("log");
  log.read("level", s.log_level);

  auto cap = top.sub("capture");
  auto& c = s.capture;
  cap.read("frame_ms", c.frame_ms);
  cap.read("reorder_window", c.reorder_window);
  cap.read("vad_margin_db", c.vad_margin_db);
  cap.read("vad_floor_db", c.vad_floor_db);
  cap.read("speech_start_ms", c.speech_start_ms);
  cap.read("utterance_end_ms", c.utterance_end_ms);
  cap.read("end_of_turn_ms", c.end_of_turn_ms);
  cap.read("pre_roll_ms", c.pre_roll_ms);
  cap.read("pause_min_ms", c.pause_min_ms);

  auto stt = top.sub("stt");
  stt.read("provider", s.stt.provider);
  stt.read("final_timeout_ms", s.stt.final_timeout_ms);
  stt.read("partial_every_ms", s.stt.partial_every_ms);
  stt.read("second_pass", s.stt.second_pass);
  stt.read("second_pass_deadline_ms", s.stt.second_pass_deadline_ms);
  auto ps = stt.sub("pocketsphinx");
  ps.read("model_dir", s.stt.pocketsphinx.model_dir);
  ps.read("domain_lm", s.stt.pocketsphinx.domain_lm);
  ps.read("domain_dict", s.stt.pocketsphinx.domain_dict);
  ps.read("domain_weight", s.stt.pocketsphinx.domain_weight);
  ps.read("question_weight", s.stt.pocketsphinx.question_weight);
  ps.read("beam", s.stt.pocketsphinx.beam);
  ps.read("wbeam", s.stt.pocketsphinx.wbeam);
  ps.read("pbeam", s.stt.pocketsphinx.pbeam);
  ps.read("lw", s.stt.pocketsphinx.lw);
  ps.read("wip", s.stt.pocketsphinx.wip);
  ps.read("silprob", s.stt.pocketsphinx.silprob);
  ps.read("fillprob", s.stt.pocketsphinx.fillprob);
  ps.read("maxhmmpf", s.stt.pocketsphinx.maxhmmpf);
  ps.read("pl_window", s.stt.pocketsphinx.pl_window);
  ps.read("ds", s.stt.pocketsphinx.ds);
  ps.read("topn", s.stt.pocketsphinx.topn);
  ps.read("fwdflat", s.stt.pocketsphinx.fwdflat);
  ps.read("bestpath", s.stt.pocketsphinx.bestpath);
  ps.read("adapt", s.stt.pocketsphinx.adapt);
  ps.read("warm_start", s.stt.pocketsphinx.warm_start);
  ps.read("nbest", s.stt.pocketsphinx.nbest);
  auto oa = stt.sub("openai");
  oa.read("url", s.stt.openai.url);
  oa.read("model", s.stt.openai.model);
  oa.read("api_key_env", s.stt.openai.api_key_env);
  oa.read("timeout_ms", s.stt.openai.timeout_ms);

  auto tts = top.sub("tts");
  auto& t = s.tts;
  tts.read("policy", t.policy);
  tts.read("providers", t.providers);
  tts.read("hedge_delay_ms", t.hedge_delay_ms);
  tts.read("hedge_default_ms", t.hedge_default_ms);
  tts.read("chunk_ms", t.chunk_ms);
  tts.read("realtime", t.realtime);
  tts.read("lead_ms", t.lead_ms);
  tts.read("first_chunk_timeout_ms", t.first_chunk_timeout_ms);
  tts.read("max_text_chars", t.max_text_chars);
  auto es = tts.sub("espeak");
  es.read("voice", t.espeak.voice);
  es.read("rate_wpm", t.espeak.rate_wpm);
  es.read("data_path", t.espeak.data_path);
  auto fl = tts.sub("flite");
  fl.read("voice", t.flite.voice);
  auto toa = tts.sub("openai");
  toa.read("url", t.openai.url);
  toa.read("model", t.openai.model);
  toa.read("voice", t.openai.voice);
  toa.read("api_key_env", t.openai.api_key_env);
  toa.read("timeout_ms", t.openai.timeout_ms);
  toa.read("sample_rate", t.openai.sample_rate);

  auto sup = top.sub("supervision");
  auto& v = s.supervision;
  sup.read("backoff_initial_ms", v.backoff_initial_ms);
  sup.read("backoff_max_ms", v.backoff_max_ms);
  sup.read("backoff_multiplier", v.backoff_multiplier);
  sup.read("max_restarts", v.max_restarts);
  sup.read("restart_window_s", v.restart_window_s);

  auto grading = top.sub("grading");
  grading.read("deadline_ms", s.grading.deadline_ms);
  grading.read("retries", s.grading.retries);
  grading.read("recognised_retention", s.grading.recognised_retention);
  grading.read("recognised_topic_retention", s.grading.recognised_topic_retention);

  auto srv = top.sub("server");
  auto& sv = s.server;
  srv.read("host", sv.host);
  srv.read("port", sv.port);
  srv.read("data_dir", sv.data_dir);
  srv.read("web_dir", sv.web_dir);
  srv.read("threads", sv.threads);
  srv.read("resume_window_s", sv.resume_window_s);
  srv.read("idle_timeout_s", sv.idle_timeout_s);
  srv.read("max_message_rate", sv.max_message_rate);
  srv.read("drain_timeout_s", sv.drain_timeout_s);
  srv.read("journals", sv.journals);
  auto au = top.sub("auth");
  auto& a = s.auth;
  au.read("issuer", a.issuer);
  au.read("audience", a.audience);
  au.read("jwks_file", a.jwks_file);
  au.read("jwks_url", a.jwks_url);
  au.read("jwks_cache_s", a.jwks_cache_s);
  au.read("hs256_secret", a.hs256_secret);
  au.read("tenant_claim", a.tenant_claim);
  au.read("user_claim", a.user_claim);
  au.read("api_keys", a.api_keys);
  au.read("leeway_s", a.leeway_s);
  au.read("oidc_client_id", a.oidc_client_id);
  au.read("oidc_scopes", a.oidc_scopes);
  au.read("oidc_token", a.oidc_token);
  auto lim = top.sub("limits");
  lim.read("concurrent_sessions", s.limits.concurrent_sessions);
  lim.read("sessions_per_day", s.limits.sessions_per_day);
  lim.read("requests_per_second", s.limits.requests_per_second);
  lim.read("burst", s.limits.burst);

  auto chaos = top.sub("chaos");
  chaos.read("spec", s.chaos.spec);
  chaos.read("seed", s.chaos.seed);

  auto problems = top.finish({&log, &cap, &stt, &ps, &oa, &tts, &es, &fl, &toa,
                              &sup, &grading, &srv, &au, &lim, &chaos});
  if (!problems.empty()) {
    problems.resize(problems.size() - 2);
    return make_error(errc::invalid_config, origin + ": " + problems);
  }
  if (auto err = validate(s))
    return make_error(errc::invalid_config, origin + ": " + describe(err));
  return s;
}

const std::vector<std::string>& known_second_pass() {
  // Only a remote recogniser: a second local decoder would cost a stream's
  // CPU again for no gain in accuracy.
  static const std::vector<std::string> names{"openai"};
  return names;
}

caf::error validate(const settings& s) {
  std::string bad;
  auto check = [&](bool ok, const char* what) {
    if (!ok)
      bad += std::string{bad.empty() ? "" : "; "} + what;
  };
  const auto& c = s.capture;
  check(c.frame_ms >= 10 && c.frame_ms <= 60, "capture.frame_ms must be 10..60");
  check(c.reorder_window >= 1 && c.reorder_window <= 4096,
        "capture.reorder_window must be 1..4096");
  check(c.vad_margin_db > 0 && c.vad_margin_db < 60,
        "capture.vad_margin_db must be in (0, 60)");
  check(c.vad_floor_db < 0 && c.vad_floor_db > -120,
        "capture.vad_floor_db must be in (-120, 0)");
  check(c.speech_start_ms >= 10 && c.speech_start_ms <= 1000,
        "capture.speech_start_ms must be 10..1000");
  check(c.utterance_end_ms >= 100 && c.utterance_end_ms <= 5000,
        "capture.utterance_end_ms must be 100..5000");
  check(c.end_of_turn_ms >= c.utterance_end_ms && c.end_of_turn_ms <= 60000,
        "capture.end_of_turn_ms must be >= utterance_end_ms and <= 60000");
  check(c.pre_roll_ms >= 0 && c.pre_roll_ms <= 1000,
        "capture.pre_roll_ms must be 0..1000");
  check(c.pause_min_ms >= 100, "capture.pause_min_ms must be >= 100");
  check(!s.stt.provider.empty(), "stt.provider must be set");
  check(s.stt.final_timeout_ms >= 100, "stt.final_timeout_ms must be >= 100");
  check(s.stt.partial_every_ms >= 100, "stt.partial_every_ms must be >= 100");
  if (!s.stt.second_pass.empty()) {
    const auto& known = known_second_pass();
    if (std::find(known.begin(), known.end(), s.stt.second_pass) == known.end()) {
      std::string list = "\"\" (off)";
      for (const auto& k : known)
        list += ", " + k;
      bad += std::string{bad.empty() ? "" : "; "} + "unknown stt.second_pass '"
             + s.stt.second_pass + "' (known: " + list + ")";
    }
    check(s.stt.second_pass != s.stt.provider,
          "stt.second_pass must differ from stt.provider");
    check(s.stt.second_pass != "openai" || !s.stt.openai.url.empty(),
          "stt.second_pass = \"openai\" needs stt.openai.url");
  }
  check(s.stt.second_pass_deadline_ms >= 100
          && s.stt.second_pass_deadline_ms <= 30000,
        "stt.second_pass_deadline_ms must be 100..30000");
  check(s.stt.pocketsphinx.domain_weight >= 0
          && s.stt.pocketsphinx.domain_weight <= 1,
        "stt.pocketsphinx.domain_weight must be 0..1");
  check(s.stt.pocketsphinx.question_weight >= 0
          && s.stt.pocketsphinx.question_weight < 1,
        "stt.pocketsphinx.question_weight must be in [0, 1)");
  const auto& ps = s.stt.pocketsphinx;
  auto beam_ok = [](double b) { return b > 0 && b < 1; };
  check(beam_ok(ps.beam) && beam_ok(ps.wbeam) && beam_ok(ps.pbeam),
        "stt.pocketsphinx.beam, wbeam, pbeam must be in (0, 1)");
  check(ps.lw > 0 && ps.lw <= 30, "stt.pocketsphinx.lw must be in (0, 30]");
  check(ps.wip > 0 && ps.wip <= 10, "stt.pocketsphinx.wip must be in (0, 10]");
  check(ps.silprob > 0 && ps.silprob < 1 && ps.fillprob > 0 && ps.fillprob < 1,
        "stt.pocketsphinx.silprob and fillprob must be in (0, 1)");
  check(ps.maxhmmpf == -1 || ps.maxhmmpf >= 100,
        "stt.pocketsphinx.maxhmmpf must be -1 (no limit) or >= 100");
  check(ps.pl_window >= 0 && ps.pl_window <= 10,
        "stt.pocketsphinx.pl_window must be 0..10");
  check(ps.ds >= 1 && ps.ds <= 4, "stt.pocketsphinx.ds must be 1..4");
  check(ps.topn >= 1 && ps.topn <= 64, "stt.pocketsphinx.topn must be 1..64");
  check(ps.nbest >= 0 && ps.nbest <= 10, "stt.pocketsphinx.nbest must be 0..10");
  const auto& t = s.tts;
  check(t.policy == "single" || t.policy == "race" || t.policy == "hedge",
        "tts.policy must be single, race or hedge");
  check(!t.providers.empty() && t.providers.size() <= 8,
        "tts.providers must list 1..8 providers");
  check(t.policy == "single" || t.providers.size() >= 2,
        "tts.policy race/hedge needs at least two tts.providers");
  check(t.hedge_delay_ms >= 0 && t.hedge_delay_ms <= 10000,
        "tts.hedge_delay_ms must be 0..10000");
  check(t.hedge_default_ms >= 1 && t.hedge_default_ms <= 10000,
        "tts.hedge_default_ms must be 1..10000");
  check(t.chunk_ms >= 10 && t.chunk_ms <= 40, "tts.chunk_ms must be 10..40");
  check(t.lead_ms >= 0 && t.lead_ms <= 2000, "tts.lead_ms must be 0..2000");
  check(t.first_chunk_timeout_ms >= 50,
        "tts.first_chunk_timeout_ms must be >= 50");
  check(t.max_text_chars >= 1 && t.max_text_chars <= 100000,
        "tts.max_text_chars must be 1..100000");
  check(t.espeak.rate_wpm >= 80 && t.espeak.rate_wpm <= 450,
        "tts.espeak.rate_wpm must be 80..450");
  check(t.openai.sample_rate >= 8000 && t.openai.sample_rate <= 48000,
        "tts.openai.sample_rate must be 8000..48000");
  check(t.openai.timeout_ms >= 100, "tts.openai.timeout_ms must be >= 100");
  const auto& sv = s.server;
  check(sv.port >= 0 && sv.port <= 65535, "server.port must be 0..65535 (0: any free port)");
  check(sv.threads >= 1 && sv.threads <= 64, "server.threads must be 1..64");
  check(sv.resume_window_s >= 1, "server.resume_window_s must be >= 1");
  check(sv.idle_timeout_s >= 1, "server.idle_timeout_s must be >= 1");
  check(sv.max_message_rate >= 10, "server.max_message_rate must be >= 10");
  check(sv.drain_timeout_s >= 1, "server.drain_timeout_s must be >= 1");
  check(s.auth.leeway_s >= 0 && s.auth.leeway_s <= 3600, "auth.leeway_s must be 0..3600");
  check(s.auth.jwks_cache_s >= 1, "auth.jwks_cache_s must be >= 1");
  check(s.auth.oidc_token == "access_token" || s.auth.oidc_token == "id_token",
        "auth.oidc_token must be access_token or id_token");
  check(s.auth.oidc_client_id.empty() || !s.auth.oidc_scopes.empty(),
        "auth.oidc_scopes must not be empty when auth.oidc_client_id is set");
  for (const auto& k : s.auth.api_keys)
    check(std::count(k.begin(), k.end(), ':') == 2 && k.find(':') >= 16,
          "auth.api_keys entries must be KEY:TENANT:USER with a key of 16+ characters");
  check(s.limits.concurrent_sessions >= 1, "limits.concurrent_sessions must be >= 1");
  check(s.limits.sessions_per_day >= 1, "limits.sessions_per_day must be >= 1");
  check(s.limits.requests_per_second > 0, "limits.requests_per_second must be > 0");
  check(s.limits.burst >= 1, "limits.burst must be >= 1");
  const auto& v = s.supervision;
  check(v.backoff_initial_ms >= 1, "supervision.backoff_initial_ms must be >= 1");
  check(v.backoff_max_ms >= v.backoff_initial_ms,
        "supervision.backoff_max_ms must be >= backoff_initial_ms");
  check(v.backoff_multiplier >= 1.0, "supervision.backoff_multiplier must be >= 1");
  check(v.max_restarts >= 0, "supervision.max_restarts must be >= 0");
  check(v.restart_window_s >= 1, "supervision.restart_window_s must be >= 1");
  check(s.grading.deadline_ms >= 50 && s.grading.deadline_ms <= 600000,
        "grading.deadline_ms must be 50..600000");
  check(s.grading.retries >= 0 && s.grading.retries <= 10,
        "grading.retries must be 0..10");
  check(s.grading.recognised_retention >= 0.5 && s.grading.recognised_retention <= 1.0,
        "grading.recognised_retention must be 0.5..1 (1: recognised speech graded as typed)");
  check(s.grading.recognised_topic_retention >= 0.3 && s.grading.recognised_topic_retention <= 1.0,
        "grading.recognised_topic_retention must be 0.3..1 (1: graded as typed)");
  if (!bad.empty())
    return make_error(errc::invalid_config, bad);
  return {};
}

namespace {

caf::expected<std::string> slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::invalid_config,
                      "cannot read configuration file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

caf::expected<settings> load(const std::string& override_path) {
  auto defaults_text = slurp(default_config_path());
  if (!defaults_text)
    return defaults_text.error();
  auto s = parse(*defaults_text, default_config_path());
  if (!s || override_path.empty())
    return s;
  auto text = slurp(override_path);
  if (!text)
    return text.error();
  return parse(*text, override_path, *s);
}

caf::error validate_serving(const settings& s) {
  const auto& secret = s.auth.hs256_secret;
  if (net::is_loopback_host(s.server.host) || secret.empty())
    return {};
  const std::string where = "server.host = \"" + s.server.host
                            + "\" accepts connections from other machines, but ";
  const std::string how =
    ": set auth.hs256_secret to a random secret of at least 32 bytes (openssl rand -hex 32) "
    "in the --config file, or to \"\" to accept only OIDC tokens and API keys "
    "(docs/operations.md)";
  if (secret == development_secret)
    return make_error(errc::invalid_config,
                      where + "auth.hs256_secret is the development secret shipped in "
                              "config/sof.toml, so anyone could sign a token" + how);
  if (secret.size() < 32)
    return make_error(errc::invalid_config,
                      where + "auth.hs256_secret is " + std::to_string(secret.size())
                        + " bytes, too short to resist guessing" + how);
  return {};
}

}  // namespace sof::config
