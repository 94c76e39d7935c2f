#include "transport/server/rest_api.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "store/store.hpp"

#include <fstream>
#include <sstream>

namespace sof::server {
namespace {

http_response json_response(int status, nlohmann::json body) {
  return {status, "application/json", body.dump(), {}};
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

const char* content_type_of(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".wasm") return "application/wasm";
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
  if (path == "/v1/questions" && r.method == "GET")
    return questions();
  if (path == "/v1/sessions")
    return sessions(r, *w, query);
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
    uint32_t limit = 20;
    if (auto l = query_param(query, "limit"); !l.empty()) {
      try {
        limit = static_cast<uint32_t>(std::clamp(std::stoi(l), 1, 100));
      } catch (const std::exception&) {
        return problem(400, "bad request", "limit must be a number");
      }
    }
    auto page = ctx_.db->list_sessions(w.tenant, w.user, limit, query_param(query, "cursor"));
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
  s.voice = body.value("voice", true);
  s.followups = body.value("followups", true);
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
                    {"text", s.text}});
  for (const auto& f : d->followups)
    fus.push_back({{"turn", f.turn}, {"action", f.action}, {"text", f.text},
                   {"point_id", f.point_id}, {"at_ms", f.at_ms}});
  return json_response(200, {{"session", row_json(d->session)},
                             {"segments", segs},
                             {"followups", fus},
                             {"scorecard", parse_or_null(d->scorecard_json)},
                             {"delivery", parse_or_null(d->delivery_json)}});
}

http_response rest_api::metrics_text() {
  auto& st = *ctx_.stats;
  st.set_gauge("sof_live_sessions", {}, static_cast<double>(hub_.live()));
  for (const auto& [tenant, n] : ctx_.limits->live_by_tenant())
    st.set_gauge("sof_live_sessions_by_tenant", {{"tenant", tenant}}, n);
  std::map<std::string, std::string> help{
    {"sof_live_sessions", "Live interview sessions."},
    {"sof_frames_total", "Audio frames delivered to sessions."},
    {"sof_turn_latency_ms", "End of the candidate's turn to the first follow-up audio chunk."},
    {"sof_stt_final_latency_ms", "End of an utterance's audio to its final text (real-time clients)."},
    {"sof_tts_first_audio_ms", "Speak request to first audio out of the voice agent."},
    {"sof_provider_restarts_total", "Provider workers restarted under supervision."},
    {"sof_graders_unavailable_total", "Graders that could not finish."},
    {"sof_http_requests_total", "HTTP requests by status."},
  };
  return {200, "text/plain; version=0.0.4", st.render(help), {}};
}

http_response rest_api::static_file(const std::string& path) {
  if (web_dir_.empty())
    return problem(404, "not found");
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  // Plain paths only: no escapes, no parent steps, no hidden files.
  if (rel.find("..") != std::string::npos || rel.find('%') != std::string::npos
      || rel.find('\\') != std::string::npos || rel.find("/.") != std::string::npos
      || rel.starts_with(".") || rel.find('\0') != std::string::npos)
    return problem(404, "not found");
  auto full = web_dir_ / rel;
  std::error_code ec;
  auto canon = std::filesystem::weakly_canonical(full, ec);
  auto root = std::filesystem::weakly_canonical(web_dir_, ec);
  if (ec || !canon.string().starts_with(root.string())
      || !std::filesystem::is_regular_file(canon, ec))
    return problem(404, "not found");
  std::ifstream in{canon, std::ios::binary};
  std::ostringstream ss;
  ss << in.rdbuf();
  return {200, content_type_of(canon), ss.str(), {{"Cache-Control", "no-cache"}}};
}

}  // namespace sof::server
