// sof loadgen: N simulated candidates streaming real-time audio into one
// `sof serve` on this host, from one process and one event loop, through a
// simulated network (jitter, loss, forced reconnects). Reports turn
// latency beyond the end-of-turn silence, frames lost and duplicated as
// the server counted them, errors, and the server's CPU and memory per
// session (scraped from /metrics). The candidates are loadgen_session.cpp;
// the policies loadgen_policy.cpp; this file is the shell.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/client_protocol.hpp"
#include "tools/sof/commands.hpp"
#include "tools/sof/loadgen_policy.hpp"
#include "tools/sof/loadgen_session.hpp"
#include "tools/sof/ws_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sof::cli {
namespace {

using json = nlohmann::json;
using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
namespace lg = loadgen;

struct loadgen_options {
  common_options common;
  std::string url;
  std::string token;
  int sessions = 1;
  double ramp_s = 0;
  double duration_s = 60;
  std::vector<std::string> audio;
  std::string question = "ticketing-flash-sale";
  double jitter_ms = 0;
  double loss_pct = 0;
  double reconnect_rate = 0;
  uint64_t seed = 1;
  bool json = false;
};

/// A /metrics reading: the server process's CPU and RSS.
struct scrape_state {
  std::optional<lg::process_sample> before;
  std::optional<lg::process_sample> after;
  double peak_rss = 0;
  std::string error;
};

class load_run {
public:
  load_run(const loadgen_options& o, ws_target target, double end_of_turn_ms,
           std::vector<std::shared_ptr<const std::vector<int16_t>>> audio)
    : o_(o), target_(std::move(target)), eot_ms_(end_of_turn_ms), audio_(std::move(audio)) {
  }

  int run() {
    // The server must answer /metrics with its process gauges first: that
    // both proves it is there and gives the "before" reading.
    scrape([this](std::optional<lg::process_sample> s) {
      if (!s) {
        fatal_ = "cannot read " + target_.host + ":" + target_.port + "/metrics: "
                 + scrape_.error;
        return loop_.stop();
      }
      scrape_.before = s;
      scrape_.peak_rss = s->resident_bytes;
      begin();
    });
    loop_.run();
    if (!fatal_.empty())
      return fail(fatal_);
    return report();
  }

private:
  void begin() {
    t_begin_ = clock::now();
    const double gap_s = o_.sessions > 1 ? o_.ramp_s / (o_.sessions - 1) : 0;
    for (int i = 0; i < o_.sessions; ++i) {
      lg::session_config cfg;
      cfg.index = static_cast<uint32_t>(i);
      cfg.question = o_.question;
      cfg.duration_s = o_.duration_s;
      cfg.end_of_turn_ms = eot_ms_;
      cfg.net = {o_.jitter_ms, o_.loss_pct, o_.reconnect_rate, o_.seed};
      candidates_.push_back(std::make_unique<lg::candidate>(
        loop_, target_, cfg, audio_[static_cast<std::size_t>(i) % audio_.size()],
        [this, i] { on_finished(static_cast<std::size_t>(i)); }));
      auto* c = candidates_.back().get();
      loop_.at(t_begin_ + std::chrono::duration_cast<clock::duration>(
                            std::chrono::duration<double>(gap_s * i)),
               [this, c] {
                 if (fatal_.empty())
                   c->start();
               });
    }
    // Every session gets its ramp, its audio, a flush and a grading; past
    // that something is stuck and the run says so instead of hanging.
    const double bound_s = o_.ramp_s + o_.duration_s + 240;
    loop_.at(t_begin_ + std::chrono::duration_cast<clock::duration>(
                          std::chrono::duration<double>(bound_s)),
             [this] {
               for (auto& c : candidates_)
                 c->abort("the run's time bound passed");
             });
    tick();
  }

  void on_finished(std::size_t i) {
    ++finished_;
    const auto& c = *candidates_[i];
    if (c.refused_status() == 401 && fatal_.empty()) {
      // The token is the same for every candidate: no point going on.
      fatal_ = c.result().failure;
      for (auto& other : candidates_)
        other->abort("token refused");
      return loop_.stop();
    }
    if (finished_ == candidates_.size())
      scrape([this](std::optional<lg::process_sample> s) {
        scrape_.after = s;
        if (s)
          scrape_.peak_rss = std::max(scrape_.peak_rss, s->resident_bytes);
        print_progress(true);
        loop_.stop();
      });
  }

  /// Progress once a second, and a /metrics reading for the peak RSS.
  void tick() {
    if (finished_ == candidates_.size() || !fatal_.empty())
      return;
    print_progress(false);
    scrape([this](std::optional<lg::process_sample> s) {
      if (s)
        scrape_.peak_rss = std::max(scrape_.peak_rss, s->resident_bytes);
    });
    loop_.at(clock::now() + 1s, [this] { tick(); });
  }

  void scrape(std::function<void(std::optional<lg::process_sample>)> done) {
    http_get(loop_, target_.host, target_.port, metrics_path(),
             [this, done = std::move(done)](int status, std::string body, std::string err) {
               if (status != 200) {
                 scrape_.error = status ? "HTTP " + std::to_string(status) : err;
                 return done(std::nullopt);
               }
               auto s = lg::parse_process_metrics(body);
               if (!s)
                 scrape_.error = "no process_cpu_seconds_total / "
                                 "process_resident_memory_bytes (an older sof serve?)";
               done(s);
             });
  }

  std::string metrics_path() const {
    // The WebSocket path is PREFIX/v1/sessions/ws; /metrics sits at PREFIX.
    const std::string ws = "/v1/sessions/ws";
    auto prefix = target_.path.substr(0, target_.path.size() - std::min(ws.size(),
                                                                         target_.path.size()));
    return prefix + "/metrics";
  }

  void print_progress(bool last) {
    std::size_t live = 0;
    uint64_t frames = 0, turns = 0, errors = 0;
    for (const auto& c : candidates_) {
      live += c->live();
      frames += c->result().transmissions;
      turns += c->result().turn_latency_ms.size();
      errors += c->result().errors.size() + (!c->result().failure.empty());
    }
    const double t = std::chrono::duration<double>(clock::now() - t_begin_).count();
    std::fprintf(stderr, "loadgen: %6.1f s  sessions live %zu/%zu  frames sent %llu  "
                         "turns measured %llu  errors %llu%s\n",
                 t, live, candidates_.size(), static_cast<unsigned long long>(frames),
                 static_cast<unsigned long long>(turns),
                 static_cast<unsigned long long>(errors), last ? "  (done)" : "");
  }

  int report();

  const loadgen_options& o_;
  ws_target target_;
  double eot_ms_;
  std::vector<std::shared_ptr<const std::vector<int16_t>>> audio_;
  ws_loop loop_;  // before the candidates: they are destroyed first
  std::vector<std::unique_ptr<lg::candidate>> candidates_;
  std::size_t finished_ = 0;
  scrape_state scrape_;
  std::string fatal_;
  clock::time_point t_begin_{};
};

json quantiles(const std::vector<double>& v) {
  auto q = [&](double p) -> json {
    auto x = lg::percentile(v, p);
    return x ? json(std::round(*x * 10) / 10) : json(nullptr);
  };
  return {{"p50", q(0.50)}, {"p95", q(0.95)}, {"p99", q(0.99)}, {"count", v.size()},
          {"max", q(1.0)}};
}

uint64_t u64_at(const json& j, const char* key) {
  return get_u64(j, key).value_or(0);
}

int load_run::report() {
  const double wall_s = std::chrono::duration<double>(clock::now() - t_begin_).count();
  std::vector<double> latencies;
  uint64_t captured = 0, delivered = 0, lost = 0, duplicated = 0, withheld = 0,
           resent = 0, dropped = 0, refused = 0, out_of_order = 0, reconnects = 0,
           turns_ended = 0, completed = 0, error_count = 0;
  json messages = json::array();
  auto note = [&](const std::string& m) {
    ++error_count;
    if (messages.size() < 20)
      messages.push_back(m);
  };
  for (const auto& c : candidates_) {
    const auto& r = c->result();
    latencies.insert(latencies.end(), r.turn_latency_ms.begin(), r.turn_latency_ms.end());
    captured += r.captured;
    withheld += r.withheld;
    resent += r.resent;
    out_of_order += r.out_of_order;
    reconnects += r.reconnects;
    turns_ended += r.turns_ended;
    for (const auto& e : r.errors)
      note("session " + std::to_string(&c - candidates_.data()) + ": " + e);
    if (!r.failure.empty())
      note("session " + std::to_string(&c - candidates_.data()) + " failed: " + r.failure);
    if (!r.done)
      continue;
    ++completed;
    const auto& f = r.server_frames;
    if (!f.is_object() || !f.contains("delivered")) {
      note("session " + r.session_id + ": the scorecard has no server frame count");
      continue;
    }
    const uint64_t d = u64_at(f, "delivered");
    delivered += d;
    dropped += u64_at(f, "duplicates_dropped");
    refused += u64_at(f, "refused");
    lost += r.captured > d ? r.captured - d : 0;
    // Delivered more than once: by the capture core's count, or more
    // unique frames in the session than the client ever made.
    const auto cap = f.value("capture", json::object());
    duplicated += u64_at(cap, "duplicates") + (d > r.captured ? d - r.captured : 0);
  }
  const double session_min = o_.sessions * o_.duration_s / 60;
  json server = json::object();
  if (scrape_.before && scrape_.after) {
    const double cpu = scrape_.after->cpu_seconds - scrape_.before->cpu_seconds;
    const double mb = 1024.0 * 1024.0;
    server = {{"cpu_seconds", std::round(cpu * 100) / 100},
              {"cpu_seconds_per_session_minute", std::round(cpu / session_min * 1000) / 1000},
              {"cores", std::round(cpu / wall_s * 100) / 100},
              {"rss_before_mb", std::round(scrape_.before->resident_bytes / mb)},
              {"rss_peak_mb", std::round(scrape_.peak_rss / mb)},
              {"rss_per_session_mb",
               std::round((scrape_.peak_rss - scrape_.before->resident_bytes) / mb
                          / o_.sessions * 10) / 10}};
  } else {
    note("server CPU/memory unavailable: " + scrape_.error);
  }
  json doc = {
    {"sessions", o_.sessions},
    {"sessions_completed", completed},
    {"turn_latency_ms", quantiles(latencies)},
    {"turns_ended", turns_ended},
    {"frames_lost", lost},
    {"frames_duplicated", duplicated},
    {"errors", error_count},
    {"error_messages", messages},
    {"frames", {{"captured", captured}, {"delivered", delivered}, {"withheld", withheld},
                {"resent", resent}, {"server_duplicates_dropped", dropped},
                {"server_refused", refused}, {"out_of_order", out_of_order}}},
    {"reconnects", reconnects},
    {"server", server},
    {"end_of_turn_ms", eot_ms_},
    {"settings", {{"duration_s", o_.duration_s}, {"ramp_s", o_.ramp_s},
                  {"jitter_ms", o_.jitter_ms}, {"loss_pct", o_.loss_pct},
                  {"reconnect_rate", o_.reconnect_rate}, {"seed", o_.seed}}},
    {"wall_s", std::round(wall_s * 10) / 10},
  };
  if (o_.json) {
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    auto num = [](const json& v) { return v.is_null() ? std::string{"-"} : v.dump(); };
    const auto& tl = doc["turn_latency_ms"];
    std::printf("sessions        %d (%llu completed), %.0f s of audio each, %.1f s wall\n",
                o_.sessions, static_cast<unsigned long long>(completed), o_.duration_s,
                wall_s);
    std::printf("turn latency    p50 %s  p95 %s  p99 %s ms beyond the %.0f ms end-of-turn "
                "silence (%zu of %llu turns)\n",
                num(tl["p50"]).c_str(), num(tl["p95"]).c_str(), num(tl["p99"]).c_str(),
                eot_ms_, latencies.size(), static_cast<unsigned long long>(turns_ended));
    std::printf("frames          %llu captured, %llu delivered, %llu lost, %llu duplicated\n",
                static_cast<unsigned long long>(captured),
                static_cast<unsigned long long>(delivered),
                static_cast<unsigned long long>(lost),
                static_cast<unsigned long long>(duplicated));
    std::printf("network         %llu withheld, %llu resent, %llu out_of_order, %llu "
                "reconnects; server dropped %llu duplicates\n",
                static_cast<unsigned long long>(withheld),
                static_cast<unsigned long long>(resent),
                static_cast<unsigned long long>(out_of_order),
                static_cast<unsigned long long>(reconnects),
                static_cast<unsigned long long>(dropped));
    if (!server.empty())
      std::printf("server          %s CPU s (%s per session-minute, %s cores); RSS %s MB "
                  "before, %s MB peak, %s MB per session\n",
                  server["cpu_seconds"].dump().c_str(),
                  server["cpu_seconds_per_session_minute"].dump().c_str(),
                  server["cores"].dump().c_str(), server["rss_before_mb"].dump().c_str(),
                  server["rss_peak_mb"].dump().c_str(),
                  server["rss_per_session_mb"].dump().c_str());
    std::printf("errors          %llu\n", static_cast<unsigned long long>(error_count));
    for (const auto& m : messages)
      std::printf("  %s\n", m.get<std::string>().c_str());
  }
  if (completed < static_cast<uint64_t>(o_.sessions))
    return fail(std::to_string(o_.sessions - completed) + " of " + std::to_string(o_.sessions)
                + " sessions did not complete"
                + (messages.empty() ? "" : "; first: " + messages[0].get<std::string>()));
  return 0;
}

int run_loadgen(const loadgen_options& o) {
  if (o.sessions < 1)
    return fail("--sessions must be at least 1");
  if (o.duration_s < 1)
    return fail("--duration must be at least 1 second");
  std::string url_error;
  auto target = parse_url(o.url, url_error);
  if (!target)
    return fail(url_error);
  if (!lg::is_loopback_host(target->host))
    return fail("sof loadgen only targets a server on this host (localhost, 127.0.0.0/8, "
                "::1), not '" + target->host + "': it is a load generator, not a tool to "
                "point at someone else's service");
  target->token = o.token;
  if (target->token.empty())
    if (const char* env = std::getenv("SOF_TOKEN"))
      target->token = env;
  if (target->token.empty())
    return fail("no token: pass --token (see `sof token`) or set SOF_TOKEN");
  auto settings = load_settings(o.common);
  if (!settings)
    return fail(settings.error());
  const double eot_ms = settings->capture.end_of_turn_ms;
  auto files = o.audio;
  if (files.empty())
    files.push_back(std::string{SOF_DATA_DIR} + "/samples/ticketing_interview.wav");
  std::vector<std::shared_ptr<const std::vector<int16_t>>> audio;
  for (const auto& f : files) {
    auto a = audio::read_file(f);
    if (!a)
      return fail(a.error());
    if (a->samples.empty())
      return fail("'" + f + "' holds no audio");
    auto pcm = std::move(a->samples);
    // Silence after each pass so its last turn ends before the loop starts
    // over; a whole number of 20 ms frames so frames never straddle.
    pcm.resize(pcm.size() + static_cast<std::size_t>((eot_ms + 1000) * 16), 0);
    pcm.resize((pcm.size() + 319) / 320 * 320, 0);
    audio.push_back(std::make_shared<const std::vector<int16_t>>(std::move(pcm)));
  }
  load_run run{o, std::move(*target), eot_ms, std::move(audio)};
  return run.run();
}

}  // namespace

void add_loadgen_command(CLI::App& app) {
  auto o = std::make_shared<loadgen_options>();
  auto* cmd = app.add_subcommand(
    "loadgen", "simulate N candidates streaming real-time audio into a local `sof serve`");
  cmd->add_option("--url", o->url, "the server on this host, e.g. http://127.0.0.1:8080")
    ->required();
  cmd->add_option("--token", o->token, "bearer credential (default: $SOF_TOKEN)");
  cmd->add_option("--sessions", o->sessions, "concurrent candidates")->capture_default_str();
  cmd->add_option("--ramp", o->ramp_s, "seconds over which session starts are spread")
    ->capture_default_str()
    ->check(CLI::NonNegativeNumber);
  cmd->add_option("--duration", o->duration_s,
                  "seconds of audio each candidate streams before `end`")
    ->capture_default_str();
  cmd->add_option("--audio", o->audio,
                  "recordings, looped (candidate i uses file i mod count; default: the "
                  "spoken sample interview)");
  cmd->add_option("--question", o->question, "question id")->capture_default_str();
  cmd->add_option("--jitter", o->jitter_ms, "each frame's send time moves by up to ±MS")
    ->capture_default_str()
    ->check(CLI::Range(0.0, 1000.0));
  cmd->add_option("--loss", o->loss_pct, "percent of frame transmissions lost in flight")
    ->capture_default_str()
    ->check(CLI::Range(0.0, 50.0));
  cmd->add_option("--reconnect-rate", o->reconnect_rate,
                  "forced connection drops per session per minute (each resumed)")
    ->capture_default_str()
    ->check(CLI::Range(0.0, 60.0));
  cmd->add_option("--seed", o->seed, "seed of the simulated network")->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON document at the end");
  cmd->add_option("--config", o->common.config_path,
                  "TOML overriding config/sof.toml (read for [capture] end_of_turn_ms)");
  cmd->callback([o] {
    if (int rc = run_loadgen(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
