// The REST side of the service without a network: rest_api over a real
// store in a scratch folder, real HS256 tokens and a scratch web folder.
// Progress over time, the public sign-in configuration, request-body
// validation and the static files' types and security headers.
#include "actors/common/errors.hpp"
#include "store/store.hpp"
#include "tests/store/test_util.hpp"
#include "transport/auth/auth.hpp"
#include "transport/server/rest_api.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

using namespace sof;
using nlohmann::json;

namespace {

constexpr const char* secret = "rest-api-test-secret-of-32-bytes-or-more";

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string header(const server::http_response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return {};
}

// A scorecard as the service stores it (docs/scorecard.md), trimmed.
std::string card(double arch, bool data_unavailable) {
  json dims = json::array();
  dims.push_back({{"name", "architecture"}, {"score", arch}, {"status", "ok"}});
  dims.push_back({{"name", "data"}, {"score", 0.0},
                  {"status", data_unavailable ? "unavailable" : "ok"}});
  return json{{"verdict", "fail"}, {"dimensions", dims}}.dump();
}

class rest_api_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(web() / "assets");
    auto db = store::database::open(dir_.file("store.db"));
    ASSERT_TRUE(db) << describe(db.error());
    db_ = std::move(*db);
    auto cfg = config::load();
    ASSERT_TRUE(cfg) << describe(cfg.error());
    cfg_ = *cfg;
    cfg_.auth.hs256_secret = secret;
    auto bank = config::question_bank::load();
    ASSERT_TRUE(bank) << describe(bank.error());
    bank_ = std::make_unique<config::question_bank>(std::move(*bank));
    ASSERT_NO_FATAL_FAILURE(make_api());
  }

  void make_api() {
    api_.reset();
    hub_.reset();
    limits_ = std::make_unique<server::tenant_limits>(cfg_.limits);
    server::service_context ctx;
    ctx.cfg = cfg_;
    ctx.db = db_.get();
    ctx.bank = bank_.get();
    ctx.limits = limits_.get();
    ctx.stats = &stats_;
    hub_ = std::make_unique<server::session_hub>(ctx);
    // The verifier always accepts the test's tokens; what /v1/auth/config
    // reports comes from cfg_ alone.
    auth::auth_settings as;
    as.hs256_secret = secret;
    auto v = auth::verifier::make(as);
    ASSERT_TRUE(v) << describe(v.error());
    api_ = std::make_unique<server::rest_api>(*hub_, *v, web());
  }

  std::string token(const std::string& tenant, const std::string& user) {
    return auth::mint_hs256(secret, {{"tenant", tenant}, {"sub", user}, {"exp", now_s() + 600}});
  }

  server::http_response get(const std::string& target, const std::string& tok = {}) {
    return api_->handle({"GET", target, tok.empty() ? "" : "Bearer " + tok, ""});
  }

  static json body(const server::http_response& r) {
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }

  void graded(const std::string& tenant, const std::string& user, const std::string& id,
              int64_t at, double overall, const std::string& scorecard) {
    auto s = store::test::make_session(tenant, user, id, at);
    ASSERT_FALSE(db_->create_session(s));
    auto err = db_->finish_session(tenant, id, "completed", at + 1, "fail", overall, scorecard,
                                   "{}", "");
    ASSERT_FALSE(err) << describe(err);
  }

  void write(const std::string& rel, const std::string& content) {
    std::ofstream{web() / rel, std::ios::binary} << content;
  }

  std::filesystem::path web() const { return dir_.file("web"); }

  store::test::temp_dir dir_;
  std::unique_ptr<store::database> db_;
  config::settings cfg_;
  std::unique_ptr<config::question_bank> bank_;
  std::unique_ptr<server::tenant_limits> limits_;
  server::metrics stats_;
  std::unique_ptr<server::session_hub> hub_;
  std::unique_ptr<server::rest_api> api_;
};

}  // namespace

TEST_F(rest_api_test, progress_lists_graded_sessions_oldest_first_with_dimension_scores) {
  graded("acme", "alice", "s2", 2000, 55.0, card(6.5, true));
  graded("acme", "alice", "s1", 1000, 40.0, card(4.0, false));
  graded("acme", "alice", "s3", 3000, 70.0, "not json");
  graded("acme", "bob", "b1", 1500, 90.0, card(9.0, false));
  graded("globex", "alice", "g1", 1600, 90.0, card(9.0, false));

  auto r = get("/v1/progress", token("acme", "alice"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  ASSERT_TRUE(j["sessions"].is_array());
  ASSERT_EQ(j["sessions"].size(), 3u) << "only alice's, only acme's";
  const auto& first = j["sessions"][0];
  EXPECT_EQ(first["id"], "s1");
  EXPECT_EQ(first["created_ms"], 1000);
  EXPECT_EQ(first["question_id"], "rate-limiter");
  EXPECT_EQ(first["question_title"], "Design a rate limiter");
  EXPECT_EQ(first["verdict"], "fail");
  EXPECT_DOUBLE_EQ(first["overall"].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(first["dimensions"]["architecture"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(first["dimensions"]["data"].get<double>(), 0.0) << "a real zero stays";
  const auto& second = j["sessions"][1];
  EXPECT_EQ(second["id"], "s2");
  EXPECT_DOUBLE_EQ(second["dimensions"]["architecture"].get<double>(), 6.5);
  ASSERT_TRUE(second["dimensions"].contains("data"));
  EXPECT_TRUE(second["dimensions"]["data"].is_null()) << "unavailable is null, never zero";
  EXPECT_EQ(j["sessions"][2]["id"], "s3");
  EXPECT_EQ(j["sessions"][2]["dimensions"], json::object()) << "an unreadable scorecard";

  auto two = body(get("/v1/progress?limit=2", token("acme", "alice")));
  ASSERT_EQ(two["sessions"].size(), 2u);
  EXPECT_EQ(two["sessions"][0]["id"], "s2") << "the most recent two, oldest first";
  EXPECT_EQ(two["sessions"][1]["id"], "s3");

  EXPECT_EQ(get("/v1/progress?limit=many", token("acme", "alice")).status, 400);
  EXPECT_EQ(get("/v1/progress").status, 401);
  EXPECT_EQ(api_->handle({"POST", "/v1/progress", "Bearer " + token("acme", "alice"), ""}).status,
            405);
  auto other = body(get("/v1/progress", token("initech", "alice")));
  EXPECT_EQ(other["sessions"], json::array());
}

TEST_F(rest_api_test, auth_config_is_public_and_offers_oidc_only_when_configured) {
  auto r = get("/v1/auth/config");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body(r);
  EXPECT_EQ(j["dev_tokens"], true);
  EXPECT_TRUE(j.contains("oidc") && j["oidc"].is_null());

  cfg_.auth.issuer = "https://example.eu.auth0.com/";
  ASSERT_NO_FATAL_FAILURE(make_api());
  EXPECT_TRUE(body(get("/v1/auth/config"))["oidc"].is_null()) << "issuer without a client id";

  cfg_.auth.oidc_client_id = "spa-client";
  cfg_.auth.audience = "https://api.example.com";
  cfg_.auth.oidc_token = "id_token";
  cfg_.auth.hs256_secret = "";
  ASSERT_NO_FATAL_FAILURE(make_api());
  j = body(get("/v1/auth/config"));
  EXPECT_EQ(j["dev_tokens"], false);
  EXPECT_EQ(j["oidc"], (json{{"issuer", "https://example.eu.auth0.com/"},
                             {"client_id", "spa-client"},
                             {"audience", "https://api.example.com"},
                             {"scopes", "openid profile email"},
                             {"token", "id_token"}}));
  EXPECT_EQ(api_->handle({"POST", "/v1/auth/config", "", ""}).status, 405);
}

TEST_F(rest_api_test, session_options_in_a_post_body_must_be_booleans) {
  auto tok = "Bearer " + token("acme", "alice");
  for (const char* bad : {R"({"question":"rate-limiter","read_prompt":"yes"})",
                          R"({"question":"rate-limiter","voice":1})",
                          R"({"question":"rate-limiter","followups":null})"}) {
    auto r = api_->handle({"POST", "/v1/sessions", tok, bad});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("booleans"), std::string::npos) << r.body;
  }
}

TEST_F(rest_api_test, static_files_have_types_and_security_headers) {
  write("index.html", "<!doctype html><title>sof</title>");
  write("assets/app.js", "console.log(1)");
  write("assets/app.js.map", "{}");
  write("favicon.ico", std::string("\0\0\1\0", 4));
  write("assets/inter.woff2", "wOF2");
  write("assets/chime.wav", "RIFF");
  write("site.webmanifest", "{}");
  const std::vector<std::pair<std::string, std::string>> want{
    {"/", "text/html; charset=utf-8"},
    {"/index.html", "text/html; charset=utf-8"},
    {"/assets/app.js", "text/javascript; charset=utf-8"},
    {"/assets/app.js.map", "application/json"},
    {"/favicon.ico", "image/x-icon"},
    {"/assets/inter.woff2", "font/woff2"},
    {"/assets/chime.wav", "audio/wav"},
    {"/site.webmanifest", "application/manifest+json"},
  };
  for (const auto& [path, type] : want) {
    auto r = get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, type) << path;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(header(r, "Content-Security-Policy"),
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
              "media-src 'self' blob:; style-src 'self'; script-src 'self'; "
              "worker-src 'self' blob:; frame-ancestors 'none'")
      << path;
  }
  EXPECT_EQ(header(get("/"), "Cache-Control"), "no-cache");
  EXPECT_EQ(get("/favicon.ico").body, std::string("\0\0\1\0", 4)) << "bytes as they are";
  auto escape = get("/../store.db");
  EXPECT_EQ(escape.status, 404);
  EXPECT_EQ(header(escape, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(get("/missing.js").status, 404);
}

// connect-src names the issuer's origin, and nothing else off the server,
// only while the browser sign-in is offered.
TEST_F(rest_api_test, csp_connect_src_allows_only_the_configured_issuer) {
  write("index.html", "<!doctype html><title>sof</title>");
  auto connect_src = [&] {
    auto csp = header(get("/"), "Content-Security-Policy");
    auto at = csp.find("connect-src ");
    if (at == std::string::npos)
      return std::string{};
    at += 12;
    return csp.substr(at, csp.find(';', at) - at);
  };
  EXPECT_EQ(connect_src(), "'self' ws: wss:") << "no OIDC: same origin and the WebSocket only";

  cfg_.auth.issuer = "https://Example.EU.auth0.com/";
  ASSERT_NO_FATAL_FAILURE(make_api());
  EXPECT_EQ(connect_src(), "'self' ws: wss:") << "an issuer without a client id offers no sign-in";

  cfg_.auth.oidc_client_id = "spa-client";
  ASSERT_NO_FATAL_FAILURE(make_api());
  EXPECT_EQ(connect_src(), "'self' ws: wss: https://example.eu.auth0.com")
    << "the origin alone: no path, lower case";

  for (const auto& [issuer, want] : std::vector<std::pair<std::string, std::string>>{
         {"http://127.0.0.1:8443", "'self' ws: wss: http://127.0.0.1:8443"},
         {"https://login.example.com/realms/sof?x=1", "'self' ws: wss: https://login.example.com"},
         {"https://[::1]:9000/", "'self' ws: wss: https://[::1]:9000"},
         // Not an http(s) origin, or one that would smuggle in CSP syntax: left out.
         {"login.example.com", "'self' ws: wss:"},
         {"ftp://login.example.com/", "'self' ws: wss:"},
         {"https://a.example.com; script-src *", "'self' ws: wss:"},
         {"https://user@login.example.com/", "'self' ws: wss:"},
       }) {
    cfg_.auth.issuer = issuer;
    ASSERT_NO_FATAL_FAILURE(make_api());
    EXPECT_EQ(connect_src(), want) << issuer;
  }
}

// An unknown question id is quoted in the error, clipped to 64 bytes: 63
// ASCII bytes and a 2-byte character once split it, the JSON dump threw on
// a network thread and the process ended.
TEST_F(rest_api_test, an_error_quoting_a_clipped_multibyte_id_is_json) {
  auto tok = "Bearer " + token("acme", "alice");
  auto request = json{{"question", std::string(63, 'a') + "\xc3\xa9"}}.dump();
  server::http_response r;
  ASSERT_NO_THROW(r = api_->handle({"POST", "/v1/sessions", tok, request}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r)["error"], "bad request");
}

// A file outside the web folder is never served: not by an absolute path
// ("//abs"), not through a symlink, and not from a sibling folder whose
// name merely starts with the web folder's.
TEST_F(rest_api_test, static_files_stay_inside_the_web_folder) {
  write("index.html", "<!doctype html><title>sof</title>");
  std::filesystem::path sibling = dir_.file("web-private"), outside = dir_.file("secret.txt");
  std::filesystem::create_directories(sibling);
  std::ofstream{sibling / "secret.txt"} << "sibling secret";
  std::ofstream{outside} << "outside secret";
  std::filesystem::create_directory_symlink(sibling, web() / "pub");
  std::filesystem::create_symlink(outside, web() / "out.txt");
  for (const auto& path : {"/" + (sibling / "secret.txt").string(), "/" + outside.string(),
                           std::string{"/pub/secret.txt"}, std::string{"/out.txt"},
                           std::string{"/assets//../secret.txt"}}) {
    auto r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
  }
  EXPECT_EQ(get("/index.html").status, 200);
}
