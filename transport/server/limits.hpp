#pragma once
// Per-tenant limits of the hosted service: a token bucket on REST requests,
// a cap on concurrent live sessions and on sessions per rolling day. Pure
// (the caller supplies the time) and thread-safe: network threads call it.
#include "config/settings.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sof::server {

using clock = std::chrono::steady_clock;

class tenant_limits {
 public:
  explicit tenant_limits(config::limits_settings cfg);

  /// One REST request; a reason when it must be refused (429).
  std::optional<std::string> on_request(const std::string& tenant, clock::time_point now);

  /// A new live session; a reason when it must be refused. `now_ms` is wall
  /// time (the day window survives restarts through `started_today`).
  std::optional<std::string> try_open(const std::string& tenant, int64_t now_ms,
                                      uint32_t started_today);
  void close(const std::string& tenant);
  uint32_t live(const std::string& tenant) const;
  uint32_t live_total() const;
  std::map<std::string, uint32_t> live_by_tenant() const;

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point at{};
    bool init = false;
  };
  config::limits_settings cfg_;
  mutable std::mutex mutex_;
  std::map<std::string, bucket> buckets_;
  std::map<std::string, uint32_t> live_;
  std::map<std::string, std::deque<int64_t>> opened_;  // this process, last 24 h
};

}  // namespace sof::server
