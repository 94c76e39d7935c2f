// sof loadgen's pure policies: the simulated network is reproducible from
// its seed and has the configured statistics, the send schedule keeps
// frames in order whatever the jitter, percentiles interpolate, turn
// latency is measured from the right frame, /metrics is read, and only
// loopback hosts are accepted.
#include "tools/sof/loadgen_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace sof::cli::loadgen;
using namespace std::chrono_literals;

TEST(network_model, same_seed_same_network_other_seed_other_network) {
  network_settings s{20, 5, 4, 42};
  network_model a{s, 3}, b{s, 3}, other_session{s, 4};
  s.seed = 43;
  network_model other_seed{s, 3};
  int same_session = 0, same_seed = 0;
  for (uint64_t seq = 0; seq < 1000; ++seq) {
    EXPECT_EQ(a.jitter_ms(seq), b.jitter_ms(seq));
    EXPECT_EQ(a.lost(seq, 0), b.lost(seq, 0));
    same_session += a.jitter_ms(seq) == other_session.jitter_ms(seq);
    same_seed += a.jitter_ms(seq) == other_seed.jitter_ms(seq);
  }
  EXPECT_LT(same_session, 5) << "sessions get different networks";
  EXPECT_LT(same_seed, 5) << "the seed changes the network";
  EXPECT_EQ(a.reconnect_times_s(600), b.reconnect_times_s(600));
  EXPECT_NE(a.reconnect_times_s(600), other_seed.reconnect_times_s(600));
}

TEST(network_model, jitter_is_uniform_within_bounds) {
  network_model n{{20, 0, 0, 7}, 0};
  double sum = 0, lo = 0, hi = 0;
  const int count = 20000;
  for (int seq = 0; seq < count; ++seq) {
    double j = n.jitter_ms(static_cast<uint64_t>(seq));
    ASSERT_GE(j, -20.0);
    ASSERT_LE(j, 20.0);
    sum += j;
    lo = std::min(lo, j);
    hi = std::max(hi, j);
  }
  EXPECT_NEAR(sum / count, 0.0, 0.5) << "centred";
  EXPECT_LT(lo, -19.5);
  EXPECT_GT(hi, 19.5) << "covers the whole range";
  network_model none{{0, 0, 0, 7}, 0};
  EXPECT_EQ(none.jitter_ms(5), 0.0);
}

TEST(network_model, loss_rate_matches_and_retries_draw_anew) {
  network_model n{{0, 2, 0, 11}, 1};
  int lost = 0, lost_twice = 0;
  const int count = 100000;
  for (int seq = 0; seq < count; ++seq) {
    bool first = n.lost(static_cast<uint64_t>(seq), 0);
    lost += first;
    lost_twice += first && n.lost(static_cast<uint64_t>(seq), 1);
  }
  EXPECT_NEAR(lost / double(count), 0.02, 0.003);
  // A resend is a new draw, not the same fate: 2% of 2% of 100,000 is 40.
  EXPECT_NEAR(lost_twice, 40, 20);
  network_model none{{0, 0, 0, 11}, 1};
  for (int seq = 0; seq < 1000; ++seq)
    EXPECT_FALSE(none.lost(static_cast<uint64_t>(seq), 0));
}

TEST(network_model, reconnects_are_a_poisson_process_of_the_rate) {
  // 4 a minute over 100 hours, summed over sessions: mean 4 per minute.
  std::size_t total = 0;
  for (uint32_t session = 0; session < 100; ++session) {
    network_model n{{0, 0, 4, 5}, session};
    auto t = n.reconnect_times_s(3600);
    ASSERT_TRUE(std::is_sorted(t.begin(), t.end()));
    for (double x : t) {
      ASSERT_GE(x, 0.0);
      ASSERT_LT(x, 3600.0);
    }
    total += t.size();
  }
  EXPECT_NEAR(total / 6000.0, 4.0, 0.15);
  network_model none{{0, 0, 0, 5}, 0};
  EXPECT_TRUE(none.reconnect_times_s(3600).empty());
}

TEST(send_schedule, real_time_with_jitter_never_reorders) {
  network_model n{{35, 0, 0, 3}, 0};  // jitter wider than a frame
  send_schedule s{n, 20};
  double prev = -1;
  int moved = 0;
  for (uint64_t seq = 0; seq < 5000; ++seq) {
    double due = s.due_ms(seq);
    ASSERT_GE(due, prev) << "frame " << seq << " before its predecessor";
    ASSERT_LE(std::abs(due - seq * 20.0), 35.0 + 1e-9) << "never drifts";
    moved += due != seq * 20.0;
    prev = due;
  }
  EXPECT_GT(moved, 4000);
  EXPECT_EQ(s.due_ms(100), s.due_ms(100)) << "kept, not drawn again";
  network_model still{{0, 0, 0, 3}, 0};
  send_schedule exact{still, 20};
  EXPECT_EQ(exact.due_ms(50), 1000.0);
}

TEST(percentile, interpolates_between_ranks) {
  EXPECT_FALSE(percentile({}, 0.5));
  EXPECT_EQ(*percentile({7}, 0.99), 7);
  std::vector<double> v;
  for (int i = 100; i >= 1; --i)
    v.push_back(i);  // unsorted on purpose
  EXPECT_DOUBLE_EQ(*percentile(v, 0.5), 50.5);
  EXPECT_DOUBLE_EQ(*percentile(v, 0.95), 95.05);
  EXPECT_DOUBLE_EQ(*percentile(v, 0.99), 99.01);
  EXPECT_DOUBLE_EQ(*percentile(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(*percentile(v, 1.0), 100);
}

TEST(turn_latency_tracker, measures_from_the_frame_holding_the_end_of_speech) {
  using clock = turn_latency_tracker::clock;
  turn_latency_tracker t{20, 2500};
  const auto t0 = clock::time_point{} + 1h;
  for (uint64_t seq = 0; seq < 500; ++seq)
    t.on_frame_sent(seq, t0 + seq * 20ms + 3ms);
  t.on_frame_sent(250, t0 + 99s);  // a resend does not move the first send
  t.on_turn_end(0, 5010);          // speech ended inside frame 250
  EXPECT_EQ(t.pending(), 1u);
  // Frame 250 went at 5003 ms; +2500 ms of silence = 7503 ms; voice at 7600.
  EXPECT_FALSE(t.on_voice(1, t0 + 7600ms)) << "another speech";
  auto ms = t.on_voice(0, t0 + 7600ms);
  ASSERT_TRUE(ms);
  EXPECT_NEAR(*ms, 97.0, 1e-6);
  EXPECT_FALSE(t.on_voice(0, t0 + 7620ms)) << "only the first voice frame counts";
  t.on_turn_end(0, 5010);
  EXPECT_EQ(t.pending(), 0u) << "a turn_end replayed after a resume is ignored";
  EXPECT_EQ(t.ended(), 1u);
  t.on_turn_end(1, 60000);  // a frame never sent: nothing to measure
  EXPECT_EQ(t.pending(), 0u);
}

TEST(parse_process_metrics, reads_the_standard_gauges) {
  const char* text =
    "# TYPE process_cpu_seconds_total gauge\n"
    "process_cpu_seconds_total 12.5\n"
    "process_cpu_seconds_total_extra 3\n"
    "# TYPE process_resident_memory_bytes gauge\n"
    "process_resident_memory_bytes 1.5e+08\n";
  auto s = parse_process_metrics(text);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 12.5);
  EXPECT_DOUBLE_EQ(s->resident_bytes, 1.5e8);
  EXPECT_FALSE(parse_process_metrics("sof_live_sessions 2\n"));
  EXPECT_FALSE(parse_process_metrics("process_cpu_seconds_total x\n"
                                     "process_resident_memory_bytes 1\n"));
}

TEST(is_loopback_host, only_this_host) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"128.0.0.1", "10.0.0.1", "0.0.0.0", "example.com", "127.0.0.1.nip.io",
                        "127.0.0", "127.0.0.256", "", "::", "localhost.evil.com"})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}
