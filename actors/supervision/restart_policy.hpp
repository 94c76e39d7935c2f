#pragma once
// One-for-one restart policy: exponential backoff between restarts, and an
// intensity limit (at most max_restarts within restart_window_s) after which
// the supervisor escalates instead of restarting forever. Knows nothing of
// actors: the caller supplies the time and acts on the decision.
#include "config/settings.hpp"

#include <chrono>
#include <cstdint>
#include <deque>

namespace sof::supervision {

using clock = std::chrono::steady_clock;

struct restart_decision {
  bool restart = false;  // false: escalate
  std::chrono::milliseconds delay{0};
  uint32_t restarts_in_window = 0;
};

class restart_policy {
 public:
  explicit restart_policy(const config::supervision_settings& cfg);

  /// A supervised child failed at `now`.
  restart_decision on_failure(clock::time_point now);

  /// The child made progress: the next failure starts the backoff afresh.
  void on_progress();

  uint32_t total_restarts() const { return total_; }

 private:
  config::supervision_settings cfg_;
  std::deque<clock::time_point> recent_;
  uint32_t consecutive_ = 0;
  uint32_t total_ = 0;
};

}  // namespace sof::supervision
