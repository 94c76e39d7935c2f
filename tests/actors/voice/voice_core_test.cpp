// The voice agent's core on virtual time: race, hedge, pacing, barge-in,
// failures mid-speech. Providers are represented by the events the core
// would receive from their workers.
#include "actors/messages/histogram.hpp"
#include "actors/voice/voice_core.hpp"

#include <gtest/gtest.h>

using namespace sof;
using namespace sof::voice;
using namespace std::chrono_literals;

namespace {

struct harness {
  explicit harness(core_config cfg) : core(std::move(cfg)) {}

  voice_core core;
  clock::time_point now{};
  std::vector<start_job> starts;
  std::vector<cancel_job> cancels;
  std::vector<std::pair<clock::time_point, arm_timer>> timers;
  std::vector<provider_hung> hung;
  std::vector<msg::voice_chunk> chunks;
  std::vector<msg::voice_done> done;

  void take(effects fx) {
    for (auto& e : fx) {
      if (auto* s = std::get_if<start_job>(&e)) starts.push_back(*s);
      else if (auto* c = std::get_if<cancel_job>(&e)) cancels.push_back(*c);
      else if (auto* t = std::get_if<arm_timer>(&e)) timers.emplace_back(now + t->delay, *t);
      else if (auto* h = std::get_if<provider_hung>(&e)) hung.push_back(*h);
      else if (auto* c = std::get_if<msg::voice_chunk>(&e)) chunks.push_back(*c);
      else if (auto* d = std::get_if<msg::voice_done>(&e)) done.push_back(*d);
    }
  }

  /// Advances virtual time to `t`, firing due timers in order.
  void advance_to(clock::time_point t) {
    for (;;) {
      auto next = timers.end();
      for (auto i = timers.begin(); i != timers.end(); ++i)
        if (i->first <= t && (next == timers.end() || i->first < next->first))
          next = i;
      if (next == timers.end())
        break;
      auto [when, timer] = *next;
      timers.erase(next);
      now = when;
      take(core.on_timer(timer.token, now));
    }
    now = t;
  }
  void advance(clock::duration d) { advance_to(now + d); }

  uint64_t job_of(std::size_t provider) const {
    for (auto i = starts.rbegin(); i != starts.rend(); ++i)
      if (i->provider == provider)
        return i->synth.job;
    return 0;
  }
  bool started(std::size_t provider) const { return job_of(provider) != 0; }

  void chunk(std::size_t provider, std::size_t samples = 320) {
    take(core.on_chunk(job_of(provider), std::vector<int16_t>(samples, 100), now));
  }
};

core_config two(policy_kind p) {
  core_config c;
  c.policy = p;
  c.providers = {"flite:kal16", "espeak"};
  c.realtime = false;
  return c;
}

}  // namespace

TEST(voice_core, single_speaks_through_the_primary_only) {
  harness h{two(policy_kind::single)};
  h.take(h.core.speak(1, {"Hello there."}, h.now));
  ASSERT_EQ(h.starts.size(), 1u);
  EXPECT_EQ(h.starts[0].provider, 0u);
  EXPECT_EQ(h.starts[0].synth.text, "Hello there.");
  h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  ASSERT_EQ(h.done.size(), 1u);
  EXPECT_EQ(h.done[0].outcome, "spoken");
  EXPECT_EQ(h.done[0].provider, "flite:kal16");
  EXPECT_EQ(h.done[0].spoken_text, "Hello there.");
  EXPECT_EQ(h.chunks.size(), 1u);
}

TEST(voice_core, race_starts_all_and_the_first_chunk_wins_and_cancels_the_rest) {
  harness h{two(policy_kind::race)};
  h.take(h.core.speak(7, {"One.", "Two."}, h.now));
  ASSERT_EQ(h.starts.size(), 2u);
  h.advance(5ms);
  h.chunk(1);  // espeak first
  ASSERT_EQ(h.cancels.size(), 1u);
  EXPECT_EQ(h.cancels[0].provider, 0u);
  h.chunk(0);  // the loser's late audio is dropped
  EXPECT_EQ(h.chunks.size(), 1u);
  EXPECT_EQ(h.chunks[0].provider, "espeak");
  // The second piece goes to the winner only: the voice never changes.
  h.take(h.core.on_done(h.job_of(1), h.now));
  ASSERT_EQ(h.starts.size(), 3u);
  EXPECT_EQ(h.starts[2].provider, 1u);
  EXPECT_EQ(h.starts[2].synth.text, "Two.");
  h.chunk(1);
  h.take(h.core.on_done(h.job_of(1), h.now));
  ASSERT_EQ(h.done.size(), 1u);
  EXPECT_EQ(h.done[0].provider, "espeak");
  EXPECT_NEAR(h.done[0].ttfa_ms, 5.0, 0.01);
  auto st = h.core.stats();
  EXPECT_EQ(st.providers[1].wins, 1u);
  EXPECT_EQ(st.providers[0].wins, 0u);
  EXPECT_EQ(st.providers[0].cancels, 1u);
}

TEST(voice_core, hedge_starts_the_backup_only_after_the_delay) {
  auto cfg = two(policy_kind::hedge);
  cfg.hedge_delay = 50ms;
  harness h{cfg};
  h.take(h.core.speak(1, {"Hello."}, h.now));
  ASSERT_EQ(h.starts.size(), 1u);
  h.advance(49ms);
  EXPECT_FALSE(h.started(1)) << "backup started before the hedge delay";
  h.advance(1ms);
  EXPECT_TRUE(h.started(1));
  h.advance(3ms);
  h.chunk(1);  // the backup's audio arrives first: it wins
  EXPECT_EQ(h.chunks.at(0).provider, "espeak");
  EXPECT_NEAR(h.core.stats().providers[1].first_chunk_ms.sum_ms, 3.0, 0.01);
}

TEST(voice_core, hedge_never_starts_the_backup_when_the_primary_is_quick) {
  auto cfg = two(policy_kind::hedge);
  cfg.hedge_delay = 50ms;
  harness h{cfg};
  h.take(h.core.speak(1, {"Hello."}, h.now));
  h.advance(10ms);
  h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  h.advance(500ms);
  EXPECT_FALSE(h.started(1));
  EXPECT_EQ(h.done.at(0).provider, "flite:kal16");
}

TEST(voice_core, hedge_delay_is_learned_from_the_primary_p95) {
  auto cfg = two(policy_kind::hedge);
  cfg.hedge_default = 60ms;
  harness h{cfg};
  EXPECT_EQ(h.core.hedge_delay(), 60ms);
  // 20 speeches whose primary answers in 8 ms (one in 30 ms).
  for (uint32_t i = 0; i < 20; ++i) {
    h.take(h.core.speak(i, {"Hi."}, h.now));
    h.advance(i == 3 ? 30ms : 8ms);
    h.chunk(0);
    h.take(h.core.on_done(h.job_of(0), h.now));
  }
  auto learned = h.core.hedge_delay();
  EXPECT_GE(learned, 8ms);
  EXPECT_LE(learned, 11ms) << "p95 of nineteen 8 ms and one 30 ms";
}

TEST(voice_core, realtime_pacing_sends_only_the_lead_ahead) {
  auto cfg = two(policy_kind::single);
  cfg.realtime = true;
  cfg.lead = 100ms;
  harness h{cfg};
  h.take(h.core.speak(1, {"A long sentence."}, h.now));
  for (int i = 0; i < 50; ++i)  // one second of audio made at once
    h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  // The lead (100 ms, five chunks) leaves at once, then real time.
  EXPECT_EQ(h.chunks.size(), 5u);
  h.advance(200ms);
  EXPECT_NEAR(static_cast<double>(h.chunks.size()), 15.0, 1.0);
  EXPECT_TRUE(h.done.empty());
  h.advance(1s);
  EXPECT_EQ(h.chunks.size(), 50u);
  ASSERT_EQ(h.done.size(), 1u);
  EXPECT_EQ(h.done[0].outcome, "spoken");
}

TEST(voice_core, barge_in_stops_output_at_once_and_reports_the_unspoken_text) {
  auto cfg = two(policy_kind::single);
  cfg.realtime = true;
  cfg.lead = 40ms;
  harness h{cfg};
  h.take(h.core.speak(3, {"First sentence here.", "Second sentence.", "Third."}, h.now));
  for (int i = 0; i < 25; ++i)  // 500 ms for the first piece
    h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  for (int i = 0; i < 25; ++i)
    h.chunk(0);
  h.advance(600ms);  // the first piece has played, the second just began
  auto before = h.chunks.size();
  h.take(h.core.barge_in(h.now));
  ASSERT_EQ(h.done.size(), 1u);
  EXPECT_EQ(h.done[0].outcome, "barged_in");
  EXPECT_EQ(h.done[0].spoken_text, "First sentence here.");
  EXPECT_NE(h.done[0].unspoken_text.find("Third."), std::string::npos);
  EXPECT_NEAR(h.done[0].audio_ms, 600.0, 1.0);
  EXPECT_FALSE(h.cancels.empty()) << "the synthesis still running is cancelled";
  h.advance(2s);
  EXPECT_EQ(h.chunks.size(), before) << "audio after barge-in";
  EXPECT_EQ(h.core.stats().barged_in, 1u);
}

TEST(voice_core, barge_in_drops_queued_speeches_too) {
  harness h{two(policy_kind::single)};
  h.take(h.core.speak(1, {"One."}, h.now));
  h.take(h.core.speak(2, {"Two."}, h.now));
  h.take(h.core.barge_in(h.now));
  ASSERT_EQ(h.done.size(), 2u);
  EXPECT_EQ(h.done[1].speech_id, 2u);
  EXPECT_EQ(h.done[1].unspoken_text, "Two.");
  EXPECT_TRUE(h.core.idle());
}

TEST(voice_core, speeches_queue_behind_one_another) {
  harness h{two(policy_kind::single)};
  h.take(h.core.speak(1, {"One."}, h.now));
  h.take(h.core.speak(2, {"Two."}, h.now));
  ASSERT_EQ(h.starts.size(), 1u);
  h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  ASSERT_EQ(h.starts.size(), 2u);
  EXPECT_EQ(h.starts[1].synth.text, "Two.");
}

TEST(voice_core, a_winner_failing_mid_speech_resumes_in_the_same_voice_without_repeating) {
  harness h{two(policy_kind::race)};
  h.take(h.core.speak(1, {"A sentence."}, h.now));
  h.chunk(0);
  h.chunk(0);  // 640 samples out in flite's voice
  h.take(h.core.on_failure(0, "crashed", h.now));
  ASSERT_EQ(h.starts.size(), 3u);
  EXPECT_EQ(h.starts[2].provider, 0u) << "never switch voices mid-speech";
  EXPECT_EQ(h.starts[2].synth.skip_samples, 640u);
  EXPECT_EQ(h.starts[2].synth.attempt, 1u);
  // The restarted worker re-makes the piece; the first 640 samples are dropped.
  h.chunk(0, 320);
  h.chunk(0, 320);
  EXPECT_EQ(h.chunks.size(), 2u);
  h.chunk(0, 320);
  EXPECT_EQ(h.chunks.size(), 3u);
  h.take(h.core.on_done(h.job_of(0), h.now));
  EXPECT_EQ(h.done.at(0).outcome, "spoken");
}

TEST(voice_core, a_failure_before_any_audio_falls_back_to_the_other_provider) {
  harness h{two(policy_kind::single)};
  h.take(h.core.speak(1, {"Hi."}, h.now));
  h.take(h.core.on_failure(0, "error", h.now));
  EXPECT_TRUE(h.started(1)) << "an untried provider takes over before any audio";
}

TEST(voice_core, a_failed_provider_sits_out_the_next_race_but_still_backs_it_up) {
  auto cfg = two(policy_kind::race);
  cfg.hedge_delay = 40ms;
  harness h{cfg};
  h.take(h.core.speak(1, {"Hi."}, h.now));
  h.take(h.core.on_failure(1, "crashed", h.now));  // espeak fails: cooling down
  h.chunk(0);
  h.take(h.core.on_done(h.job_of(0), h.now));
  ASSERT_EQ(h.done.size(), 1u);
  auto starts_before = h.starts.size();
  h.advance(100ms);
  h.take(h.core.speak(2, {"Again."}, h.now));
  ASSERT_EQ(h.starts.size(), starts_before + 1) << "only the healthy one races";
  EXPECT_EQ(h.starts.back().provider, 0u);
  h.advance(40ms);
  ASSERT_EQ(h.starts.size(), starts_before + 2) << "the cooling one joins as a backup";
  EXPECT_EQ(h.starts.back().provider, 1u);
}

TEST(voice_core, a_silent_provider_is_reported_hung) {
  auto cfg = two(policy_kind::single);
  cfg.first_chunk_timeout = 300ms;
  harness h{cfg};
  h.take(h.core.speak(1, {"Hi."}, h.now));
  h.advance(299ms);
  EXPECT_TRUE(h.hung.empty());
  h.advance(1ms);
  ASSERT_EQ(h.hung.size(), 1u);
  EXPECT_EQ(h.hung[0].provider, 0u);
}

TEST(voice_core, gives_up_after_its_attempt_budget) {
  auto cfg = two(policy_kind::race);
  cfg.max_attempts = 2;
  harness h{cfg};
  h.take(h.core.speak(1, {"Hi."}, h.now));
  for (int i = 0; i < 10 && h.done.empty(); ++i) {
    h.take(h.core.on_failure(0, "error", h.now));
    h.take(h.core.on_failure(1, "error", h.now));
  }
  ASSERT_EQ(h.done.size(), 1u);
  EXPECT_EQ(h.done[0].outcome, "failed");
  EXPECT_EQ(h.done[0].unspoken_text, "Hi.");
  EXPECT_EQ(h.core.stats().failed, 1u);
}

TEST(voice_core, policies_parse) {
  EXPECT_EQ(*parse_policy("hedge"), policy_kind::hedge);
  EXPECT_FALSE(parse_policy("fastest"));
}

TEST(histogram, quantiles_are_within_a_bucket) {
  msg::latency_histogram h;
  for (int i = 1; i <= 100; ++i)
    metrics::observe(h, i);
  EXPECT_EQ(h.count, 100u);
  EXPECT_NEAR(metrics::quantile(h, 0.5), 50, 50 * 0.26);
  EXPECT_NEAR(metrics::quantile(h, 0.95), 95, 95 * 0.26);
  msg::latency_histogram other;
  metrics::observe(other, 1000);
  metrics::merge(h, other);
  EXPECT_EQ(h.count, 101u);
  EXPECT_GT(metrics::quantile(h, 1.0), 500);
  EXPECT_EQ(metrics::quantile(msg::latency_histogram{}, 0.5), 0);
}
