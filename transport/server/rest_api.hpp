#pragma once
// The REST side of the service (docs/protocol.md), free of Beast: a request
// in, a response out. Authentication, tenancy (every query scoped by the
// caller's tenant and user; another's resource is 404), per-tenant rate
// limits (429 with a reason), health, metrics, the browser's sign-in
// configuration and the web UI's files (with security headers).
#include "transport/auth/auth.hpp"
#include "transport/server/session_hub.hpp"

#include <atomic>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sof::server {

struct http_request {
  std::string method;
  std::string target;  // path and query
  std::string authorization;
  std::string body;
};

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Largest request body accepted (413 beyond).
constexpr std::size_t max_body_bytes = 64 * 1024;

class rest_api {
 public:
  rest_api(session_hub& hub, std::shared_ptr<auth::verifier> verifier,
           std::filesystem::path web_dir);

  http_response handle(const http_request& r);

  /// For the WebSocket upgrade: the caller, or why not (401).
  caf::expected<who> authenticate(std::string_view credential);

  void set_draining() { draining_ = true; }
  bool draining() const { return draining_; }

 private:
  http_response sessions(const http_request& r, const who& w, const std::string& query);
  http_response session(const http_request& r, const who& w, const std::string& id);
  http_response progress(const who& w, const std::string& query);
  http_response auth_config();
  http_response questions();
  http_response metrics_text();
  http_response static_file(const std::string& path);
  http_response find_static(const std::string& path);

  session_hub& hub_;
  service_context& ctx_;
  std::shared_ptr<auth::verifier> verifier_;
  std::filesystem::path web_dir_;
  std::atomic<bool> draining_{false};
};

}  // namespace sof::server
