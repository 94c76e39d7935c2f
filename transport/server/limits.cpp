#include "transport/server/limits.hpp"

#include <algorithm>

namespace sof::server {

tenant_limits::tenant_limits(config::limits_settings cfg) : cfg_(cfg) {
}

std::optional<std::string> tenant_limits::on_request(const std::string& tenant,
                                                     clock::time_point now) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto& b = buckets_[tenant];
  if (!b.init) {
    b = {static_cast<double>(cfg_.burst), now, true};
  } else {
    double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min<double>(cfg_.burst, b.tokens + elapsed * cfg_.requests_per_second);
    b.at = now;
  }
  if (b.tokens < 1.0)
    return "request rate limit (" + std::to_string(static_cast<int>(cfg_.requests_per_second))
           + "/s, burst " + std::to_string(cfg_.burst) + ") exceeded";
  b.tokens -= 1.0;
  return std::nullopt;
}

std::optional<std::string> tenant_limits::try_open(const std::string& tenant,
                                                   int64_t now_ms,
                                                   uint32_t started_today) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto& live = live_[tenant];
  if (live >= static_cast<uint32_t>(cfg_.concurrent_sessions))
    return "concurrent sessions limit (" + std::to_string(cfg_.concurrent_sessions)
           + ") reached";
  auto& opened = opened_[tenant];
  while (!opened.empty() && opened.front() < now_ms - 86'400'000)
    opened.pop_front();
  // The store counts sessions of earlier runs of the process too.
  auto today = std::max<std::size_t>(opened.size(), started_today);
  if (today >= static_cast<std::size_t>(cfg_.sessions_per_day))
    return "sessions per day limit (" + std::to_string(cfg_.sessions_per_day)
           + ") reached";
  ++live;
  opened.push_back(now_ms);
  return std::nullopt;
}

void tenant_limits::close(const std::string& tenant) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = live_.find(tenant);
  if (i != live_.end() && i->second > 0)
    --i->second;
}

uint32_t tenant_limits::live(const std::string& tenant) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = live_.find(tenant);
  return i == live_.end() ? 0 : i->second;
}

uint32_t tenant_limits::live_total() const {
  std::lock_guard<std::mutex> guard{mutex_};
  uint32_t n = 0;
  for (const auto& [_, v] : live_)
    n += v;
  return n;
}

std::map<std::string, uint32_t> tenant_limits::live_by_tenant() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return live_;
}

}  // namespace sof::server
