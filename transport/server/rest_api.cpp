#include "transport/server/rest_api.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

namespace sof::server {
namespace {

// Bodies can quote a client's bytes (an unknown question id clipped to 64
// bytes, stored text): a strict dump throws on invalid UTF-8, and an
// exception on a network thread would end the process and every session.
http_response json_response(int status, nlohmann::json body) {
  return {status, "application/json",
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

// True when `p` is `root` or below it, compared by path components:
// "/srv/web-private/x" shares the string prefix "/srv/web" but is outside.
bool inside(const std::filesystem::path& root, const std::filesystem::path& p) {
  auto rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

http_response problem(int status, const std::string& error, const std::string& reason = {}) {
  nlohmann::json j{{"error", error}};
  if (!reason.empty())
    j["reason"] = reason;
  return json_response(status, std::move(j));
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

// "a=1&b=2" -> value of `key` (no decoding beyond what ids and cursors need).
std::string query_param(const std::string& query, const std::string& key) {
  std::size_t at = 0;
  while (at <= query.size()) {
    auto amp = query.find('&', at);
    auto item = query.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
    auto eq = item.find('=');
    if (eq != std::string::npos && item.substr(0, eq) == key)
      return item.substr(eq + 1);
    if (amp == std::string::npos)
      break;
    at = amp + 1;
  }
  return {};
}

// ?limit=N: `fallback` when absent, clamped to 1..max_page_size; nullopt
// when it is not a number.
std::optional<uint32_t> limit_param(const std::string& query, int fallback) {
  auto l = query_param(query, "limit");
  if (l.empty())
    return static_cast<uint32_t>(fallback);
  try {
    return static_cast<uint32_t>(
      std::clamp(std::stoi(l), 1, static_cast<int>(store::max_page_size)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// An optional boolean member of a request body: `fallback` when absent,
// nullopt when present but not a boolean (json::value would throw).
std::optional<bool> bool_member(const nlohmann::json& body, const char* key, bool fallback) {
  auto i = body.find(key);
  if (i == body.end())
    return fallback;
  if (!i->is_boolean())
    return std::nullopt;
  return i->get<bool>();
}

nlohmann::json row_json(const store::session_row& s) {
  return {{"id", s.id},           {"question_id", s.question_id},
          {"question_title", s.question_title}, {"status", s.status},
          {"created_ms", s.created_ms}, {"ended_ms", s.ended_ms},
          {"verdict", s.verdict},  {"overall", s.overall}};
}

nlohmann::json parse_or_null(const std::string& text) {
  if (text.empty())
    return nullptr;
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? nlohmann::json{} : j;
}

// Per dimension of a stored scorecard: its score, or null when its grader
// could not finish ("unavailable" is never a zero).
nlohmann::json dimension_scores(const std::string& scorecard_json) {
  auto out = nlohmann::json::object();
  auto card = nlohmann::json::parse(scorecard_json, nullptr, false);
  if (card.is_discarded() || !card.is_object() || !card.contains("dimensions")
      || !card["dimensions"].is_array())
    return out;
  for (const auto& d : card["dimensions"]) {
    if (!d.is_object() || !d.contains("name") || !d["name"].is_string())
      continue;
    const bool ok = d.value("status", "") == "ok" && d.contains("score") && d["score"].is_number();
    out[d["name"].get<std::string>()] = ok ? d["score"] : nlohmann::json{};
  }
  return out;
}

// The origin (scheme://host[:port]) of an http(s) URL such as an OIDC
// issuer, lower-cased, or "" when it is not one or holds anything that does
// not belong in a CSP source expression (userinfo, spaces, quotes, ';', ',').
std::string url_origin(const std::string& url) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  auto sep = url.find("://");
  if (sep == std::string::npos)
    return {};
  auto scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https")
    return {};
  auto rest = url.substr(sep + 3);
  auto host = lower(rest.substr(0, rest.find_first_of("/?#")));
  if (host.empty())
    return {};
  for (unsigned char c : host)
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
      return {};
  return scheme + "://" + host;
}

// Served with every static file. The UI loads nothing from elsewhere, so
// everything is 'self' except connect-src: the WebSocket (ws:, wss:) and,
// when browser sign-in is configured, the OIDC issuer's origin for its
// discovery document and token endpoint. Microphone audio worklets and
// recorded audio use blob: URLs.
std::vector<std::pair<std::string, std::string>> static_security_headers(
  const config::auth_config& a) {
  std::string connect = "'self' ws: wss:";
  if (!a.issuer.empty() && !a.oidc_client_id.empty())
    if (auto origin = url_origin(a.issuer); !origin.empty())
      connect += " " + origin;
  return {
    {"Content-Security-Policy",
     "default-src 'self'; connect-src " + connect + "; img-src 'self' data:; "
     "media-src 'self' blob:; style-src 'self'; script-src 'self'; worker-src 'self' blob:; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
  };
}

const char* content_type_of(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".map") return "application/json";
  if (ext == ".wav") return "audio/wav";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

}  // namespace

rest_api::rest_api(session_hub& hub, std::shared_ptr<auth::verifier> verifier,
                   std::filesystem::path web_dir)
  : hub_(hub), ctx_(hub.context()), verifier_(std::move(verifier)),
    web_dir_(std::move(web_dir)) {
}

caf::expected<who> rest_api::authenticate(std::string_view credential) {
  auto id = verifier_->verify(credential, now_s());
  if (!id)
    return id.error();
  return who{id->tenant, id->user};
}

http_response rest_api::handle(const http_request& r) {
  auto q = r.target.find('?');
  std::string path = r.target.substr(0, q);
  std::string query = q == std::string::npos ? "" : r.target.substr(q + 1);
  if (path == "/healthz") {
    nlohmann::json j{{"status", draining_ ? "draining" : "ok"}, {"draining", draining_.load()},
                     {"live_sessions", hub_.live()}};
    return json_response(draining_ ? 503 : 200, j);
  }
  if (path == "/metrics")
    return metrics_text();
  if (!path.starts_with("/v1/")) {
    if (r.method != "GET" && r.method != "HEAD")
      return problem(405, "method not allowed");
    return static_file(path);
  }
  if (r.body.size() > max_body_bytes)
    return problem(413, "payload too large", "the limit is 64 KB");
  // Public: the browser needs it to know how to sign in at all.
  if (path == "/v1/auth/config")
    return r.method == "GET" ? auth_config() : problem(405, "method not allowed");
  auto cred = auth::bearer(r.authorization);
  if (!cred)
    return problem(401, "unauthorized", "missing bearer credential");
  auto w = authenticate(*cred);
  if (!w) {
    ctx_.stats->add("sof_auth_failures_total");
    return problem(401, "unauthorized", describe(w.error()));
  }
  if (auto reason = ctx_.limits->on_request(w->tenant, clock::now())) {
    ctx_.stats->add("sof_rate_limited_total", {{"tenant", w->tenant}});
    auto res = problem(429, "rate limited", *reason);
    res.headers.emplace_back("Retry-After", "1");
    return res;
  }
  if (path == "/v1/questions")
    return r.method == "GET" ? questions() : problem(405, "method not allowed");
  if (path == "/v1/sessions")
    return sessions(r, *w, query);
  if (path == "/v1/progress")
    return r.method == "GET" ? progress(*w, query) : problem(405, "method not allowed");
  if (path.starts_with("/v1/sessions/") && path.size() > 13)
    return session(r, *w, path.substr(13));
  return problem(404, "not found");
}

http_response rest_api::questions() {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& q : ctx_.bank->all())
    list.push_back({{"id", q.id},
                    {"title", q.title},
                    {"track", std::string{config::to_string(q.track)}},
                    {"difficulty", std::string{config::to_string(q.difficulty)}},
                    {"time_limit_s", q.time_limit_minutes * 60},
                    {"prompt", q.prompt}});
  return json_response(200, {{"questions", list}});
}

http_response rest_api::sessions(const http_request& r, const who& w,
                                 const std::string& query) {
  if (r.method == "GET") {
    auto limit = limit_param(query, 20);
    if (!limit)
      return problem(400, "bad request", "limit must be a number");
    auto page = ctx_.db->list_sessions(w.tenant, w.user, *limit, query_param(query, "cursor"));
    if (!page)
      return problem(400, "bad request", describe(page.error()));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& s : page->items)
      items.push_back(row_json(s));
    return json_response(200, {{"sessions", items}, {"next_cursor", page->next_cursor}});
  }
  if (r.method != "POST")
    return problem(405, "method not allowed");
  // Reserves a live session; the WebSocket's start {resume: id} opens it.
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("question")
      || !body["question"].is_string())
    return problem(400, "bad request", R"(expected {"question": ID})");
  wire::start s;
  s.question = body["question"].get<std::string>();
  auto voice = bool_member(body, "voice", true);
  auto followups = bool_member(body, "followups", true);
  auto read_prompt = bool_member(body, "read_prompt", false);
  if (!voice || !followups || !read_prompt)
    return problem(400, "bad request", "voice, followups and read_prompt must be booleans");
  s.voice = *voice;
  s.followups = *followups;
  s.read_prompt = *read_prompt;
  auto live = hub_.open(w, s, nullptr);
  if (!live) {
    auto code = static_cast<errc>(live.error().code());
    if (code == errc::unsupported) {
      auto res = problem(429, "rate limited", describe(live.error()));
      res.headers.emplace_back("Retry-After", "60");
      return res;
    }
    return problem(code == errc::not_found ? 400 : 500, "bad request", describe(live.error()));
  }
  // Not attached yet: the resume window starts now.
  (*live)->detach(nullptr);
  return json_response(201, {{"session_id", (*live)->id()}, {"ws", "/v1/sessions/ws"}});
}

http_response rest_api::session(const http_request& r, const who& w, const std::string& id) {
  if (r.method == "DELETE") {
    auto deleted = ctx_.db->delete_session(w.tenant, w.user, id);
    if (!deleted)
      return problem(500, "internal error", describe(deleted.error()));
    if (!*deleted)
      return problem(404, "not found");
    if (!(*deleted)->empty()) {
      std::error_code ec;
      std::filesystem::remove(**deleted, ec);
    }
    log::get("server")->info("{} session erased by its user",
                             log::context{w.tenant, id}.tag());
    return {204, "application/json", "", {}};
  }
  if (r.method != "GET")
    return problem(405, "method not allowed");
  auto d = ctx_.db->get_session(w.tenant, id);
  if (!d || d->session.user != w.user)
    return problem(404, "not found");
  nlohmann::json segs = nlohmann::json::array(), fus = nlohmann::json::array();
  for (const auto& s : d->segments)
    segs.push_back({{"utt", s.utt}, {"start_ms", s.start_ms}, {"end_ms", s.end_ms},
                    {"text", s.text}, {"words", parse_or_null(s.words_json)},
                    {"alternatives", parse_or_null(s.alternatives_json)},
                    {"recognizer", s.recognizer}});
  for (const auto& f : d->followups)
    fus.push_back({{"turn", f.turn}, {"action", f.action}, {"text", f.text},
                   {"point_id", f.point_id}, {"at_ms", f.at_ms}});
  return json_response(200, {{"session", row_json(d->session)},
                             {"segments", segs},
                             {"followups", fus},
                             {"scorecard", parse_or_null(d->scorecard_json)},
                             {"delivery", parse_or_null(d->delivery_json)}});
}

http_response rest_api::progress(const who& w, const std::string& query) {
  auto limit = limit_param(query, 50);
  if (!limit)
    return problem(400, "bad request", "limit must be a number");
  auto rows = ctx_.db->progress(w.tenant, w.user, *limit);
  if (!rows)
    return problem(500, "internal error", describe(rows.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : *rows)
    items.push_back({{"id", p.session.id},
                     {"created_ms", p.session.created_ms},
                     {"question_id", p.session.question_id},
                     {"question_title", p.session.question_title},
                     {"verdict", p.session.verdict},
                     {"overall", p.session.overall},
                     {"dimensions", dimension_scores(p.scorecard_json)}});
  return json_response(200, {{"sessions", items}});
}

http_response rest_api::auth_config() {
  const auto& a = ctx_.cfg.auth;
  nlohmann::json oidc = nullptr;
  if (!a.issuer.empty() && !a.oidc_client_id.empty())
    oidc = {{"issuer", a.issuer}, {"client_id", a.oidc_client_id}, {"audience", a.audience},
            {"scopes", a.oidc_scopes}, {"token", a.oidc_token}};
  return json_response(200, {{"dev_tokens", !a.hs256_secret.empty()}, {"oidc", oidc}});
}

http_response rest_api::metrics_text() {
  auto& st = *ctx_.stats;
  st.set_gauge("sof_live_sessions", {}, static_cast<double>(hub_.live()));
  for (const auto& [tenant, n] : ctx_.limits->live_by_tenant())
    st.set_gauge("sof_live_sessions_by_tenant", {{"tenant", tenant}}, n);
  // Prometheus' standard process metrics (a counter and a gauge by meaning;
  // both are current readings, so they are rendered as gauges).
  if (auto usage = read_process_usage()) {
    st.set_gauge("process_cpu_seconds_total", {}, usage->cpu_seconds);
    st.set_gauge("process_resident_memory_bytes", {}, usage->resident_bytes);
  }
  std::map<std::string, std::string> help{
    {"sof_live_sessions", "Live interview sessions."},
    {"sof_frames_total", "Audio frames delivered to sessions."},
    {"sof_turn_latency_ms", "End of the candidate's turn to the first follow-up audio chunk."},
    {"sof_stt_final_latency_ms", "End of an utterance's audio to its final text (real-time clients)."},
    {"sof_tts_first_audio_ms", "Speak request to first audio out of the voice agent."},
    {"sof_provider_restarts_total", "Provider workers restarted under supervision."},
    {"sof_stt_second_pass_total", "Second-pass recogniser outcomes per utterance: won (its text used), late (answered after the deadline, dropped), failed."},
    {"sof_graders_unavailable_total", "Graders that could not finish."},
    {"sof_http_requests_total", "HTTP requests by status."},
    {"process_cpu_seconds_total", "User and system CPU time spent by the process, in seconds."},
    {"process_resident_memory_bytes", "Resident memory of the process, in bytes."},
  };
  return {200, "text/plain; version=0.0.4", st.render(help), {}};
}

http_response rest_api::static_file(const std::string& path) {
  auto res = find_static(path);
  for (const auto& h : static_security_headers(ctx_.cfg.auth))
    res.headers.push_back(h);
  return res;
}

http_response rest_api::find_static(const std::string& path) {
  if (web_dir_.empty())
    return problem(404, "not found");
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  // Plain relative paths only: no escapes, no parent steps, no hidden files,
  // no empty segment ("//etc/x" would make `rel` absolute, and web_dir_ / rel
  // would then be that absolute path).
  if (rel.find("..") != std::string::npos || rel.find('%') != std::string::npos
      || rel.find('\\') != std::string::npos || rel.find("/.") != std::string::npos
      || rel.starts_with(".") || rel.find('\0') != std::string::npos
      || rel.starts_with("/") || rel.find("//") != std::string::npos)
    return problem(404, "not found");
  auto full = web_dir_ / rel;
  std::error_code ec;
  auto canon = std::filesystem::weakly_canonical(full, ec);
  auto root = std::filesystem::weakly_canonical(web_dir_, ec);
  // Also after symlinks are resolved: a link out of the web folder is refused.
  if (ec || !inside(root, canon) || !std::filesystem::is_regular_file(canon, ec))
    return problem(404, "not found");
  std::ifstream in{canon, std::ios::binary};
  std::ostringstream ss;
  ss << in.rdbuf();
  // no-cache (revalidate every time) for every file, .html included: the
  // names carry no content hash, so a cached script could outlive a deploy.
  return {200, content_type_of(canon), ss.str(), {{"Cache-Control", "no-cache"}}};
}

}  // namespace sof::server
