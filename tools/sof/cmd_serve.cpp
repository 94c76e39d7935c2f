// sof serve: the hosted multi-tenant interview service (docs/protocol.md,
// docs/operations.md). sof token: a development token for the configured
// HS256 secret.
#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "actors/session/offline_run.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/retriever.hpp"
#include "store/store.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"
#include "transport/auth/auth.hpp"
#include "transport/server/http_server.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace sof::cli {
namespace {

struct serve_options {
  int port = -1;
  std::string data;
  std::string index;
  common_options common;
};

std::filesystem::path default_data_dir() {
  if (const char* home = std::getenv("SOF_HOME"); home && *home)
    return std::filesystem::path{home} / "service";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path{xdg} / "sof" / "service";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path{home} / ".local" / "share" / "sof" / "service";
  return "sof-service";
}

auth::auth_settings auth_settings_of(const config::auth_config& a) {
  auth::auth_settings s;
  s.issuer = a.issuer;
  s.audience = a.audience;
  s.jwks_file = a.jwks_file;
  s.jwks_url = a.jwks_url;
  s.jwks_cache_s = a.jwks_cache_s;
  s.hs256_secret = a.hs256_secret;
  s.tenant_claim = a.tenant_claim;
  s.user_claim = a.user_claim;
  s.leeway_s = a.leeway_s;
  for (const auto& k : a.api_keys) {
    auto c1 = k.find(':');
    auto c2 = k.find(':', c1 + 1);
    s.api_keys.push_back({k.substr(0, c1), k.substr(c1 + 1, c2 - c1 - 1), k.substr(c2 + 1)});
  }
  return s;
}

std::string dev_token(const config::auth_config& a, const std::string& tenant,
                      const std::string& user, int64_t ttl_s) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  nlohmann::json claims{{a.user_claim, user}, {a.tenant_claim, tenant},
                        {"iat", now}, {"exp", now + ttl_s}};
  if (!a.issuer.empty())
    claims["iss"] = a.issuer;
  if (!a.audience.empty())
    claims["aud"] = a.audience;
  return auth::mint_hs256(a.hs256_secret, claims);
}

int run_serve(const serve_options& o) {
  auto setup = load_setup(o.common);
  if (setup.exit_code)
    return setup.exit_code;
  auto& cfg = setup.settings;
  if (o.port >= 0)
    cfg.server.port = o.port;
  if (o.port > 65535)
    return fail("--port must be 0..65535");
  if (auto err = config::validate_serving(cfg))
    return fail(err);
  std::filesystem::path data = !o.data.empty()             ? std::filesystem::path{o.data}
                               : !cfg.server.data_dir.empty() ? std::filesystem::path{cfg.server.data_dir}
                                                              : default_data_dir();
  std::error_code ec;
  std::filesystem::create_directories(data / "journals", ec);
  if (ec)
    return fail(make_error(errc::io_error, "cannot create the data directory " + data.string()
                                             + ": " + ec.message()));
  auto db = store::database::open((data / "sof.db").string());
  if (!db)
    return fail(db.error());
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  if (auto n = (*db)->mark_live_as_interrupted(wall); n && *n > 0)
    std::fprintf(stderr, "sof: %u session(s) left live by the last run marked interrupted\n", *n);
  auto verifier = auth::verifier::make(auth_settings_of(cfg.auth));
  if (!verifier)
    return fail(verifier.error());
  auto bank = config::question_bank::load();
  if (!bank)
    return fail(bank.error());
  auto kb = retrieval::open_or_build(o.index);
  if (!kb)
    return fail(kb.error());
  auto engine = grading_engine(*kb, *bank, cfg);

  caf::actor_system_config acfg;
  session::prepare_actor_config(acfg);
  caf::actor_system sys{acfg};
  server::tenant_limits limits{cfg.limits};
  server::metrics stats;
  server::service_context ctx;
  ctx.cfg = cfg;
  ctx.db = db->get();
  ctx.bank = &*bank;
  ctx.engine = engine;
  ctx.limits = &limits;
  ctx.stats = &stats;
  if (cfg.server.journals)
    ctx.journal_dir = data / "journals";
  ctx.sys = &sys;
  server::session_hub hub{ctx};
  // The UI bundle `make build` writes (web/build.mjs); the API works without it.
  auto web = cfg.server.web_dir.empty() ? std::filesystem::path{SOF_DATA_DIR} / "web"
                                        : std::filesystem::path{cfg.server.web_dir};
  if (std::error_code ec; !std::filesystem::is_regular_file(web / "index.html", ec))
    std::fprintf(stderr, "sof: warning: no web UI in %s (run `make build`); serving the API only\n",
                 web.c_str());
  server::rest_api api{hub, *verifier, web};
  server::http_server srv{api, hub, cfg.server};
  auto port = srv.listen();
  if (!port)
    return fail(port.error());
  std::printf("sof: listening on http://%s:%u\n", cfg.server.host.c_str(), *port);
  if (!cfg.auth.hs256_secret.empty()) {
    auto token = dev_token(cfg.auth, "dev", "dev", 12 * 3600);
    std::printf("sof: development token (tenant dev, user dev, 12 h):\n%s\n", token.c_str());
    // The UI takes a token from the URL fragment (never sent to the server
    // in a request line or a Referer) and then removes it from the address.
    auto host = cfg.server.host == "0.0.0.0" || cfg.server.host == "::" ? std::string{"127.0.0.1"}
                                                                       : cfg.server.host;
    std::printf("sof: open the UI signed in: http://%s:%u/#token=%s\n", host.c_str(), *port,
                token.c_str());
  }
  std::printf("sof: data in %s; Ctrl-C or SIGTERM drains and stops\n", data.c_str());
  std::fflush(stdout);
  srv.run([&] {
    api.set_draining();
    std::fprintf(stderr, "sof: draining %zu live session(s)...\n", hub.live());
    auto left = hub.drain(std::chrono::seconds{cfg.server.drain_timeout_s});
    std::fprintf(stderr, "sof: drained (%zu stored as interrupted without a grade)\n", left);
  });
  return 0;
}

struct token_options {
  std::string tenant;
  std::string user;
  int ttl_s = 12 * 3600;
  common_options common;
};

int run_token(const token_options& o) {
  auto s = load_settings(o.common);
  if (!s)
    return fail(s.error());
  if (s->auth.hs256_secret.empty())
    return fail("no development secret: set [auth] hs256_secret to mint tokens");
  if (!auth::valid_tenant(o.tenant))
    return fail("--tenant must be 1-64 characters of A-Z a-z 0-9 . _ -");
  if (o.user.empty() || o.user.size() > 256)
    return fail("--user must be 1..256 characters");
  if (o.ttl_s < 1)
    return fail("--ttl must be positive");
  std::printf("%s\n", dev_token(s->auth, o.tenant, o.user, o.ttl_s).c_str());
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<serve_options>();
  auto* cmd = app.add_subcommand("serve", "Run the hosted interview service (REST + WebSocket)");
  cmd->add_option("--port", o->port, "port (default from config: 8080; 0 = any free port)");
  cmd->add_option("--data", o->data, "where the database and journals live");
  cmd->add_option("--index", o->index, "knowledge-base index directory");
  o->common.add_to(cmd);
  cmd->callback([o] {
    if (int rc = run_serve(*o); rc != 0)
      throw exit_code{rc};
  });
}

void add_token_command(CLI::App& app) {
  auto o = std::make_shared<token_options>();
  auto* cmd = app.add_subcommand("token", "Mint a development token (HS256, [auth] hs256_secret)");
  cmd->add_option("--tenant", o->tenant, "tenant id")->required();
  cmd->add_option("--user", o->user, "user id")->required();
  cmd->add_option("--ttl", o->ttl_s, "lifetime in seconds (default 12 h)");
  o->common.add_to(cmd, false);
  cmd->callback([o] {
    if (int rc = run_token(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
