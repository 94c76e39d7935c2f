// The service's pure pieces: per-tenant limits and the metrics exposition.
#include "transport/server/limits.hpp"
#include "transport/server/metrics.hpp"
#include "transport/server/session_hub.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sof;
using namespace std::chrono_literals;

TEST(tenant_limits, token_bucket_allows_a_burst_then_the_rate) {
  config::limits_settings cfg;
  cfg.requests_per_second = 10;
  cfg.burst = 5;
  server::tenant_limits l{cfg};
  server::clock::time_point t{};
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(l.on_request("a", t)) << i;
  auto refused = l.on_request("a", t);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("10/s"), std::string::npos);
  EXPECT_FALSE(l.on_request("b", t)) << "tenants have their own buckets";
  EXPECT_FALSE(l.on_request("a", t + 100ms)) << "one token back after 100 ms";
  EXPECT_TRUE(l.on_request("a", t + 100ms));
}

TEST(tenant_limits, concurrent_and_daily_sessions) {
  config::limits_settings cfg;
  cfg.concurrent_sessions = 2;
  cfg.sessions_per_day = 3;
  server::tenant_limits l{cfg};
  int64_t now = 1'000'000'000;
  EXPECT_FALSE(l.try_open("a", now, 0));
  EXPECT_FALSE(l.try_open("a", now, 0));
  auto third = l.try_open("a", now, 0);
  ASSERT_TRUE(third);
  EXPECT_NE(third->find("concurrent"), std::string::npos);
  EXPECT_EQ(l.live("a"), 2u);
  l.close("a");
  EXPECT_FALSE(l.try_open("a", now, 0));
  l.close("a");
  l.close("a");
  auto daily = l.try_open("a", now, 0);
  ASSERT_TRUE(daily);
  EXPECT_NE(daily->find("per day"), std::string::npos);
  EXPECT_FALSE(l.try_open("a", now + 86'400'001, 0)) << "the day window rolls";
  EXPECT_TRUE(l.try_open("b", now, 3)) << "sessions stored by earlier runs count";
}

TEST(metrics, renders_prometheus_text) {
  server::metrics m;
  m.add("sof_frames_total", {{"tenant", "a\"b"}}, 3);
  m.set_gauge("sof_live_sessions", {}, 2);
  for (double ms : {10.0, 20.0, 30.0})
    m.observe("sof_turn_latency_ms", {}, ms);
  auto text = m.render({{"sof_live_sessions", "Live sessions."}});
  EXPECT_NE(text.find("# HELP sof_live_sessions Live sessions."), std::string::npos);
  EXPECT_NE(text.find("# TYPE sof_live_sessions gauge\nsof_live_sessions 2\n"), std::string::npos);
  EXPECT_NE(text.find("sof_frames_total{tenant=\"a\\\"b\"} 3"), std::string::npos);
  EXPECT_NE(text.find("# TYPE sof_turn_latency_ms histogram"), std::string::npos);
  EXPECT_NE(text.find("sof_turn_latency_ms_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("sof_turn_latency_ms_count 3"), std::string::npos);
  EXPECT_NE(text.find("sof_turn_latency_ms_sum 60"), std::string::npos);
}

TEST(process_usage, parses_proc_stat_and_statm) {
  // A command name with a space and a ')' must not shift the fields.
  const char* stat = "4242 (sof (x) y) S 1 4242 4242 0 -1 4194560 2000 0 0 0 "
                     "250 50 0 0 20 0 9 0 100 1000000 500";
  auto cpu = server::cpu_seconds_from_stat(stat, 100);
  ASSERT_TRUE(cpu);
  EXPECT_DOUBLE_EQ(*cpu, 3.0) << "(250 + 50) ticks at 100 a second";
  EXPECT_FALSE(server::cpu_seconds_from_stat("4242 sof S 1", 100));
  EXPECT_FALSE(server::cpu_seconds_from_stat("1 (a) S 1 2", 100)) << "too few fields";
  EXPECT_FALSE(server::cpu_seconds_from_stat("1 (a) S 1 2 3 4 5 6 7 8 9 10 x 6", 100))
    << "utime is not a number";

  auto rss = server::resident_bytes_from_statm("9000 1500 300 10 0 800 0\n", 4096);
  ASSERT_TRUE(rss);
  EXPECT_DOUBLE_EQ(*rss, 1500.0 * 4096);
  EXPECT_FALSE(server::resident_bytes_from_statm("9000", 4096));

  auto self = server::read_process_usage();
  ASSERT_TRUE(self) << "/proc/self is readable on Linux";
  EXPECT_GT(self->resident_bytes, 1e6) << "a test binary holds more than a megabyte";
  EXPECT_GE(self->cpu_seconds, 0.0);
}

namespace {
struct recording_sink : server::connection_sink {
  std::vector<std::string> got;
  void send(std::string bytes) override { got.push_back(std::move(bytes)); }
};
}  // namespace

TEST(live_session, what_the_session_says_before_a_connection_waits_for_one) {
  // A session can speak (the prompt read aloud) before the connection that
  // opened it is attached: the hub attaches "no connection" first. That
  // once flushed the backlog into a null connection and crashed the server.
  server::live_session live{"s1", {"acme", "carol"}, "ticketing-flash-sale"};
  live.push("one");
  live.push("two");
  live.attach(nullptr);
  EXPECT_FALSE(live.attached());
  live.push("three");
  auto sink = std::make_shared<recording_sink>();
  live.attach(sink);
  EXPECT_TRUE(live.attached());
  live.push("four");
  EXPECT_EQ(sink->got, (std::vector<std::string>{"one", "two", "three", "four"}));
}

TEST(live_session, a_full_backlog_drops_what_later_messages_supersede_first) {
  server::live_session live{"s2", {"acme", "dan"}, "ticketing-flash-sale"};
  live.attach(nullptr);
  // 2,000 messages fit; the transcript and follow-ups among voice chunks.
  live.push("segment-1");
  for (int i = 0; i < 1998; ++i)
    live.push("voice-" + std::to_string(i), true);
  live.push("followup-1");
  EXPECT_EQ(live.backlog_dropped(), 0u);
  live.push("segment-2");  // full: the oldest voice chunk goes, not segment-1
  live.push("voice-late", true);
  EXPECT_EQ(live.backlog_dropped(), 2u);
  auto sink = std::make_shared<recording_sink>();
  live.attach(sink);
  ASSERT_EQ(sink->got.size(), 2000u);
  EXPECT_EQ(sink->got.front(), "segment-1");
  EXPECT_EQ(sink->got[1], "voice-2");  // voice-0 and voice-1 made room
  EXPECT_NE(std::find(sink->got.begin(), sink->got.end(), "followup-1"), sink->got.end());
  EXPECT_NE(std::find(sink->got.begin(), sink->got.end(), "segment-2"), sink->got.end());
  EXPECT_EQ(sink->got.back(), "voice-late");  // order kept

  // Nothing droppable left: the oldest goes, and it is counted.
  server::live_session text_only{"s3", {"acme", "dan"}, "ticketing-flash-sale"};
  text_only.attach(nullptr);
  for (int i = 0; i < 2001; ++i)
    text_only.push("segment-" + std::to_string(i));
  EXPECT_EQ(text_only.backlog_dropped(), 1u);
  auto sink2 = std::make_shared<recording_sink>();
  text_only.attach(sink2);
  ASSERT_EQ(sink2->got.size(), 2000u);
  EXPECT_EQ(sink2->got.front(), "segment-1");
}
