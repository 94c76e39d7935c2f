#include "actors/supervision/restart_policy.hpp"

#include <gtest/gtest.h>

using namespace sof;
using namespace std::chrono_literals;
using sclock = supervision::clock;
using supervision::restart_policy;

namespace {
config::supervision_settings settings(int max_restarts = 5, int window_s = 10) {
  config::supervision_settings s;
  s.backoff_initial_ms = 50;
  s.backoff_max_ms = 1000;
  s.backoff_multiplier = 2.0;
  s.max_restarts = max_restarts;
  s.restart_window_s = window_s;
  return s;
}
}  // namespace

TEST(restart_policy, backoff_doubles_up_to_the_cap) {
  restart_policy p{settings(100)};
  auto t = sclock::time_point{} + 1h;
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i)
    delays.push_back(p.on_failure(t).delay.count());
  EXPECT_EQ(delays, (std::vector<int64_t>{50, 100, 200, 400, 800, 1000, 1000}));
}

TEST(restart_policy, progress_resets_the_backoff) {
  restart_policy p{settings(100)};
  auto t = sclock::time_point{} + 1h;
  p.on_failure(t);
  p.on_failure(t);
  EXPECT_EQ(p.on_failure(t).delay.count(), 200);
  p.on_progress();
  EXPECT_EQ(p.on_failure(t).delay.count(), 50);
  EXPECT_EQ(p.total_restarts(), 4u);
}

TEST(restart_policy, escalates_past_the_intensity_limit) {
  restart_policy p{settings(3, 10)};
  auto t = sclock::time_point{} + 1h;
  EXPECT_TRUE(p.on_failure(t).restart);
  EXPECT_TRUE(p.on_failure(t + 1s).restart);
  EXPECT_TRUE(p.on_failure(t + 2s).restart);
  auto d = p.on_failure(t + 3s);
  EXPECT_FALSE(d.restart);
  EXPECT_EQ(d.restarts_in_window, 3u);
}

TEST(restart_policy, old_failures_leave_the_window) {
  restart_policy p{settings(2, 10)};
  auto t = sclock::time_point{} + 1h;
  EXPECT_TRUE(p.on_failure(t).restart);
  EXPECT_TRUE(p.on_failure(t + 1s).restart);
  EXPECT_FALSE(p.on_failure(t + 5s).restart);
  // Eleven seconds later both earlier failures are outside the window.
  EXPECT_TRUE(p.on_failure(t + 12s).restart);
}

TEST(restart_policy, zero_restarts_means_escalate_at_once) {
  restart_policy p{settings(0)};
  EXPECT_FALSE(p.on_failure(sclock::time_point{} + 1h).restart);
}
