#include "actors/supervision/restart_policy.hpp"

#include <algorithm>
#include <cmath>

namespace sof::supervision {

restart_policy::restart_policy(const config::supervision_settings& cfg)
  : cfg_(cfg) {
}

restart_decision restart_policy::on_failure(clock::time_point now) {
  const auto window = std::chrono::seconds{cfg_.restart_window_s};
  while (!recent_.empty() && now - recent_.front() > window)
    recent_.pop_front();
  restart_decision d;
  if (recent_.size() >= static_cast<std::size_t>(cfg_.max_restarts)) {
    d.restart = false;
    d.restarts_in_window = static_cast<uint32_t>(recent_.size());
    return d;
  }
  recent_.push_back(now);
  double ms = cfg_.backoff_initial_ms
              * std::pow(cfg_.backoff_multiplier, consecutive_);
  ms = std::min<double>(ms, cfg_.backoff_max_ms);
  ++consecutive_;
  ++total_;
  d.restart = true;
  d.delay = std::chrono::milliseconds{static_cast<int64_t>(ms)};
  d.restarts_in_window = static_cast<uint32_t>(recent_.size());
  return d;
}

void restart_policy::on_progress() {
  consecutive_ = 0;
}

}  // namespace sof::supervision
