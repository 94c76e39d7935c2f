#pragma once
// The network front of `sof serve`: Boost.Beast HTTP and WebSocket on one
// port, kept in one translation unit (Beast costs ~35 s and 1 GB to compile
// per unit). REST goes to rest_api; live sessions to session_hub.
#include "config/settings.hpp"
#include "transport/server/rest_api.hpp"
#include "transport/server/session_hub.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <memory>

namespace sof::server {

class http_server {
 public:
  http_server(rest_api& api, session_hub& hub, config::server_settings cfg);
  ~http_server();

  /// Binds and listens; the port actually bound (useful with port 0).
  caf::expected<uint16_t> listen();

  /// Serves on cfg.threads threads until SIGINT or SIGTERM, then stops
  /// accepting, calls `drain` (on a thread of its own, so connections keep
  /// being served while sessions finish) and returns when it is done.
  void run(const std::function<void()>& drain);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sof::server
