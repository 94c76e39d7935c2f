// Actor tests of supervision and replay, on the deterministic scheduler with
// the real embedded speech-to-text provider and real recorded speech.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "actors/messages/journal.hpp"
#include "base/text/wer.hpp"
#include "actors/transcription/transcription_actor.hpp"

#include "tests/support/shared_speech.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace sof;

namespace {

using sof::testing::shared_speech;

config::settings test_settings() {
  auto s = config::load();
  EXPECT_TRUE(s);
  return *s;
}

// Everything the transcription agent tells its parent.
struct parent_log {
  std::vector<msg::transcript_segment> segments;
  std::vector<msg::provider_restarted> restarts;
  std::vector<msg::provider_escalated> escalations;
  std::optional<uint32_t> drained;
  std::optional<caf::error> drain_error;
};

// A parent actor (the test harness in the session's seat) that spawns the
// transcription agent and feeds it one utterance of real speech.
caf::actor spawn_parent(caf::actor_system& sys, std::shared_ptr<parent_log> log,
                        transcription::transcription_options opts,
                        std::vector<int16_t> pcm) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto t = transcription::spawn_transcription(self, opts);
    // Observe the agent's exit (escalation) without dying; anything else,
    // such as the fixture's shutdown, ends the harness.
    self->set_exit_handler([self, t](caf::exit_msg& em) {
      if (em.source != t.address())
        self->quit(em.reason);
    });
    self->send(t, msg::utterance_begin{0, 0});
    for (std::size_t off = 0; off < pcm.size(); off += 320)
      self->send(t, msg::utterance_audio{
                      0, std::vector<int16_t>(
                           pcm.begin() + off,
                           pcm.begin() + std::min(pcm.size(), off + 320))});
    self->send(t, msg::utterance_end{0, static_cast<int64_t>(pcm.size() / 16)});
    self->request(t, caf::infinite, msg::drain_atom::value)
      .then([=](uint32_t n) { log->drained = n; },
            [=](caf::error& e) { log->drain_error = e; });
    return {
      [=](msg::transcript_segment& m) { log->segments.push_back(m); },
      [=](msg::transcript_partial&) {},
      [=](msg::provider_restarted& m) { log->restarts.push_back(m); },
      [=](msg::provider_escalated& m) { log->escalations.push_back(m); },
    };
  });
}

transcription::transcription_options
options_with(const std::string& chaos, uint64_t seed, int max_restarts = 30) {
  auto s = test_settings();
  transcription::transcription_options o;
  o.worker.stt = s.stt;
  o.worker.faults = supervision::fault_injector{
    *supervision::fault_spec::parse(chaos), seed};
  o.worker.detached = false;  // the deterministic scheduler runs it
  o.supervision = s.supervision;
  o.supervision.max_restarts = max_restarts;
  return o;
}

// Finds a seed whose first attempt at utterance 0 has `fault` and whose
// second attempt is clean, so the test exercises exactly one restart.
uint64_t seed_with_one_fault(const std::string& spec,
                             bool supervision::fault_plan::*fault) {
  supervision::fault_injector probe{};
  for (uint64_t seed = 1; seed < 10000; ++seed) {
    supervision::fault_injector inj{*supervision::fault_spec::parse(spec), seed};
    auto first = inj.plan("stt", 0, 0);
    auto second = inj.plan("stt", 0, 1);
    if (first.*fault && !second.crash && !second.hang && !second.garbage
        && !second.error)
      return seed;
  }
  ADD_FAILURE() << "no seed found";
  return 0;
}

class supervision_test : public ::testing::Test, public test::actor_fixture {
 protected:
  std::string fault_free_text() {
    auto log = std::make_shared<parent_log>();
    track(spawn_parent(sys(), log, options_with("", 1), pcm_));
    run_all();
    EXPECT_EQ(log->segments.size(), 1u);
    return log->segments.empty() ? "" : log->segments[0].text;
  }
  std::vector<int16_t> pcm_ = shared_speech("pocketsphinx_goforward.wav");
};

}  // namespace

TEST_F(supervision_test, crash_is_restarted_and_nothing_is_lost) {
  auto reference = fault_free_text();
  ASSERT_FALSE(reference.empty());
  auto seed = seed_with_one_fault("stt.crash=0.5",
                                  &supervision::fault_plan::crash);
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, options_with("stt.crash=0.5", seed), pcm_));
  run_all();
  ASSERT_EQ(log->restarts.size(), 1u);
  EXPECT_NE(log->restarts[0].reason.find("crashed"), std::string::npos)
    << log->restarts[0].reason;
  EXPECT_EQ(log->restarts[0].backoff_ms, 50);
  ASSERT_EQ(log->segments.size(), 1u);
  EXPECT_EQ(log->segments[0].text, reference);
  ASSERT_TRUE(log->drained);
  EXPECT_EQ(*log->drained, 1u);
}

TEST_F(supervision_test, hang_is_detected_by_the_watchdog_and_replayed) {
  auto reference = fault_free_text();
  auto seed = seed_with_one_fault("stt.hang=0.5", &supervision::fault_plan::hang);
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, options_with("stt.hang=0.5", seed), pcm_));
  run_all();
  ASSERT_EQ(log->restarts.size(), 1u);
  EXPECT_NE(log->restarts[0].reason.find("no answer"), std::string::npos)
    << log->restarts[0].reason;
  ASSERT_EQ(log->segments.size(), 1u);
  EXPECT_EQ(log->segments[0].text, reference);
}

TEST_F(supervision_test, garbage_output_is_rejected_and_replayed) {
  auto reference = fault_free_text();
  auto seed = seed_with_one_fault("stt.garbage=0.5",
                                  &supervision::fault_plan::garbage);
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, options_with("stt.garbage=0.5", seed), pcm_));
  run_all();
  ASSERT_EQ(log->restarts.size(), 1u);
  EXPECT_NE(log->restarts[0].reason.find("bad output"), std::string::npos);
  ASSERT_EQ(log->segments.size(), 1u);
  EXPECT_EQ(log->segments[0].text, reference);
}

TEST_F(supervision_test, provider_errors_are_restarted) {
  auto reference = fault_free_text();
  auto seed = seed_with_one_fault("stt.error=0.5", &supervision::fault_plan::error);
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, options_with("stt.error=0.5", seed), pcm_));
  run_all();
  ASSERT_EQ(log->restarts.size(), 1u);
  ASSERT_EQ(log->segments.size(), 1u);
  EXPECT_EQ(log->segments[0].text, reference);
}

TEST_F(supervision_test, escalates_after_the_intensity_limit) {
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, options_with("stt.crash=1.0", 1, 3), pcm_));
  run_all();
  EXPECT_EQ(log->restarts.size(), 3u);
  // Backoff grows between the restarts.
  EXPECT_EQ(log->restarts[0].backoff_ms, 50);
  EXPECT_EQ(log->restarts[1].backoff_ms, 100);
  EXPECT_EQ(log->restarts[2].backoff_ms, 200);
  ASSERT_EQ(log->escalations.size(), 1u);
  EXPECT_EQ(log->escalations[0].kind, "stt");
  ASSERT_TRUE(log->drain_error);
  EXPECT_TRUE(log->segments.empty());
}

TEST_F(supervision_test, missing_model_escalates_at_once_with_the_path) {
  auto opts = options_with("", 1);
  opts.worker.stt.pocketsphinx.model_dir = "/nonexistent/model";
  auto log = std::make_shared<parent_log>();
  track(spawn_parent(sys(), log, opts, pcm_));
  run_all();
  EXPECT_TRUE(log->restarts.empty());
  ASSERT_EQ(log->escalations.size(), 1u);
  EXPECT_NE(log->escalations[0].reason.find("/nonexistent/model"),
            std::string::npos)
    << log->escalations[0].reason;
}

namespace {

struct session_result {
  caf::actor session;
  std::optional<msg::session_summary> summary;
  std::optional<caf::error> error;
  caf::actor driver;
};

// Drives a whole session the way a client would: frames, then finish.
std::shared_ptr<session_result>
drive_session(caf::actor_system& sys, session::session_options opts,
              const std::vector<int16_t>& pcm) {
  auto out = std::make_shared<session_result>();
  auto s = session::spawn_session(sys, std::move(opts));
  out->session = s;
  out->driver = sys.spawn([=](caf::event_based_actor* self) {
    uint64_t seq = 0;
    for (std::size_t off = 0; off < pcm.size(); off += 320, ++seq)
      self->send(s, msg::audio_frame{
                      seq, static_cast<int64_t>(seq) * 20,
                      std::vector<int16_t>(pcm.begin() + off,
                                           pcm.begin() + std::min(pcm.size(), off + 320))});
    self->request(s, caf::infinite, msg::finish_atom::value)
      .then([=](msg::session_summary& m) {
              out->summary = m;
              self->send_exit(s, caf::exit_reason::user_shutdown);
            },
            [=](caf::error& e) { out->error = e; });
  });
  return out;
}

session::session_options session_opts(const std::string& chaos, uint64_t seed) {
  session::session_options o;
  o.session_id = "test";
  o.cfg = test_settings();
  o.faults = supervision::fault_injector{*supervision::fault_spec::parse(chaos),
                                         seed};
  o.detached_providers = false;
  return o;
}

// Two utterances separated by a thinking pause: concatenated real speech.
std::vector<int16_t> two_utterances() {
  auto a = shared_speech("pocketsphinx_goforward.wav");
  auto b = shared_speech("pocketsphinx_cards_001.wav");
  std::vector<int16_t> pcm = a;
  pcm.insert(pcm.end(), 16000, 0);  // 1 s pause
  pcm.insert(pcm.end(), b.begin(), b.end());
  return pcm;
}

}  // namespace

class session_test : public ::testing::Test, public test::actor_fixture {
 protected:
  std::shared_ptr<session_result> drive(session::session_options o,
                                        const std::vector<int16_t>& pcm) {
    auto r = drive_session(sys(), std::move(o), pcm);
    track(r->session);
    track(r->driver);
    return r;
  }
};

TEST_F(session_test, session_transcribes_and_reports_delivery) {
  auto r = drive(session_opts("", 1), two_utterances());
  run_all();
  ASSERT_TRUE(r->summary) << (r->error ? describe(*r->error) : "no reply");
  const auto& s = *r->summary;
  EXPECT_TRUE(s.error.empty()) << s.error;
  EXPECT_GE(s.segments.size(), 2u);
  EXPECT_NE(s.text.find("go forward ten meters"), std::string::npos) << s.text;
  // The second clip is 1 s of speech; its words are the recogniser's
  // business (tested elsewhere), here it must at least reach the transcript.
  EXPECT_LE(text::word_error_rate("go forward ten meters ten of clubs", s.text)
              .rate(),
            0.5)
    << s.text;
  EXPECT_GT(s.delivery.speaking_seconds, 1.0);
  EXPECT_GE(s.delivery.pauses, 1u);
  EXPECT_GT(s.delivery.words_per_minute, 0.0);
  EXPECT_EQ(s.restarts.at("stt"), 0u);
  // Segments are in time order and inside the audio.
  for (std::size_t i = 1; i < s.segments.size(); ++i)
    EXPECT_GE(s.segments[i].start_ms, s.segments[i - 1].end_ms);
  EXPECT_LE(s.segments.back().end_ms, s.audio_seconds * 1000 + 1);
}

TEST_F(session_test, chaos_transcript_equals_fault_free_transcript) {
  auto pcm = two_utterances();
  auto clean = drive(session_opts("", 1), pcm);
  run_all();
  ASSERT_TRUE(clean->summary);
  int with_restarts = 0;
  for (uint64_t seed : {11, 12, 13}) {
    auto faulty = drive(
      session_opts("stt.crash=0.3,stt.garbage=0.1", seed), pcm);
    run_all();
    ASSERT_TRUE(faulty->summary) << seed;
    EXPECT_EQ(faulty->summary->text, clean->summary->text) << "seed " << seed;
    EXPECT_TRUE(faulty->summary->error.empty()) << faulty->summary->error;
    with_restarts += faulty->summary->restarts.at("stt") > 0;
  }
  EXPECT_GT(with_restarts, 0) << "chaos never hit: the test proves nothing";
}

TEST_F(session_test, journal_records_what_the_session_saw) {
  auto path = (std::filesystem::temp_directory_path()
               / ("sof_session_journal_" + std::to_string(::getpid())))
                .string();
  auto opts = session_opts("", 1);
  opts.journal_path = path;
  auto r = drive(opts, two_utterances());
  run_all();
  ASSERT_TRUE(r->summary);
  auto j = msg::read_journal(path);
  ASSERT_TRUE(j) << describe(j.error());
  std::size_t frames = 0, segments = 0, summaries = 0;
  for (const auto& e : j->entries) {
    frames += e.type == "audio_frame";
    segments += e.type == "transcript_segment";
    summaries += e.type == "session_summary";
  }
  EXPECT_EQ(frames, r->summary->counters.frames);
  EXPECT_EQ(segments, r->summary->segments.size());
  EXPECT_EQ(summaries, 1u);
  std::filesystem::remove(path);
}
