// The second pass through the real transcription agent on the
// deterministic scheduler: pocketsphinx on recorded speech as the local
// recogniser, the OpenAI-compatible provider against a loopback server as
// the second pass. A healthy server wins; HTTP 500, a garbled reply, a hung
// server, a hung or crashing worker each leave the local final, within the
// deadline, with the worker restarted and the session unharmed.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "actors/session/session_actor.hpp"
#include "actors/transcription/transcription_actor.hpp"
#include "tests/support/loopback_server.hpp"

#include "tests/support/shared_speech.hpp"

#include <gtest/gtest.h>

using namespace sof;

namespace {

using sof::testing::shared_speech;

// Everything the transcription agent tells its parent, in order.
struct parent_log {
  std::vector<msg::transcript_segment> segments;
  std::vector<int64_t> segment_at_ms;  // test clock when each arrived
  std::vector<msg::second_pass_outcome> outcomes;
  std::vector<msg::provider_restarted> restarts;
  std::vector<msg::provider_escalated> escalations;
  std::vector<std::string> order;  // "segment", "outcome", "restart"
  std::optional<uint32_t> drained;
  std::optional<caf::error> drain_error;
};

int64_t clock_ms(caf::local_actor* self) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           self->clock().now().time_since_epoch())
    .count();
}

// The session's seat: spawns the agent and feeds it each clip as one
// utterance (all closed at the same test-clock time, before any timer).
caf::actor spawn_parent(caf::actor_system& sys, std::shared_ptr<parent_log> log,
                        transcription::transcription_options opts,
                        std::vector<std::vector<int16_t>> clips,
                        std::shared_ptr<int64_t> closed_at) {
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto t = transcription::spawn_transcription(self, opts);
    self->set_exit_handler([self, t](caf::exit_msg& em) {
      if (em.source != t.address())
        self->quit(em.reason);
    });
    int64_t start = 0;
    for (uint32_t utt = 0; utt < clips.size(); ++utt) {
      const auto& pcm = clips[utt];
      self->send(t, msg::utterance_begin{utt, start});
      for (std::size_t off = 0; off < pcm.size(); off += 320)
        self->send(t, msg::utterance_audio{
                        utt, std::vector<int16_t>(
                               pcm.begin() + off,
                               pcm.begin() + std::min(pcm.size(), off + 320))});
      start += static_cast<int64_t>(pcm.size() / 16);
      self->send(t, msg::utterance_end{utt, start});
      start += 1000;
    }
    *closed_at = clock_ms(self);
    self->request(t, caf::infinite, msg::drain_atom::value)
      .then([=](uint32_t n) { log->drained = n; },
            [=](caf::error& e) { log->drain_error = e; });
    return {
      [=](msg::transcript_segment& m) {
        log->segments.push_back(m);
        log->segment_at_ms.push_back(clock_ms(self));
        log->order.push_back("segment");
      },
      [=](msg::transcript_partial&) {},
      [=](msg::second_pass_outcome& m) {
        log->outcomes.push_back(m);
        log->order.push_back("outcome");
      },
      [=](msg::provider_restarted& m) {
        log->restarts.push_back(m);
        log->order.push_back("restart");
      },
      [=](msg::provider_escalated& m) { log->escalations.push_back(m); },
    };
  });
}

// One loopback protocol server for the whole suite.
test::loopback_server* server = nullptr;

class second_pass_test : public ::testing::Test, public test::actor_fixture {
 protected:
  static void SetUpTestSuite() {
    server = new test::loopback_server(
      "tests/actors/providers/stt/openai_transcriptions_server.py");
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }

  // `model` selects the server's behaviour (see the server's docstring);
  // empty: no second pass.
  transcription::transcription_options options(const std::string& model,
                                               const std::string& chaos = "",
                                               int max_restarts = 30) {
    auto s = config::load();
    EXPECT_TRUE(s);
    transcription::transcription_options o;
    o.worker.stt = s->stt;
    if (!model.empty()) {
      o.worker.stt.second_pass = "openai";
      o.worker.stt.openai.url = "http://127.0.0.1:" + std::to_string(server->port())
                                + "/v1/audio/transcriptions";
      o.worker.stt.openai.model = model;
      o.worker.stt.openai.api_key_env = "SOF_TEST_STT_KEY_UNSET";
    }
    o.worker.faults = supervision::fault_injector{
      *supervision::fault_spec::parse(chaos), 1};
    o.worker.detached = false;  // the deterministic scheduler runs it
    o.supervision = s->supervision;
    o.supervision.max_restarts = max_restarts;
    return o;
  }

  std::shared_ptr<parent_log> run(transcription::transcription_options o,
                                  std::vector<std::vector<int16_t>> clips = {}) {
    if (clips.empty())
      clips = {pcm_};
    auto log = std::make_shared<parent_log>();
    track(spawn_parent(sys(), log, std::move(o), std::move(clips), closed_at_));
    run_all();
    return log;
  }

  // The local recogniser's segments, without a second pass.
  std::vector<msg::transcript_segment>
  local_segments(std::vector<std::vector<int16_t>> clips = {}) {
    auto n = clips.empty() ? 1u : clips.size();
    auto log = run(options(""), std::move(clips));
    EXPECT_EQ(log->segments.size(), n);
    EXPECT_TRUE(log->outcomes.empty());
    return log->segments;
  }
  std::string local_text() {
    auto segs = local_segments();
    return segs.empty() ? "" : segs[0].text;
  }

  // The local final stands, on time, and the session is unharmed.
  void expect_local_final_stands(const parent_log& log,
                                 const std::string& reference,
                                 int deadline_ms = 1500) {
    ASSERT_EQ(log.segments.size(), 1u);
    EXPECT_EQ(log.segments[0].text, reference);
    EXPECT_EQ(log.segments[0].recognizer, "pocketsphinx");
    EXPECT_FALSE(log.segments[0].words.empty()) << "the local words are kept";
    EXPECT_LE(log.segment_at_ms[0] - *closed_at_, deadline_ms);
    ASSERT_EQ(log.outcomes.size(), 1u);
    EXPECT_EQ(log.outcomes[0].outcome, "failed");
    EXPECT_TRUE(log.escalations.empty());
    ASSERT_TRUE(log.drained);
    EXPECT_EQ(*log.drained, 1u);
  }

  std::vector<int16_t> pcm_ = shared_speech("pocketsphinx_goforward.wav");
  std::shared_ptr<int64_t> closed_at_ = std::make_shared<int64_t>(0);
};

}  // namespace

TEST_F(second_pass_test, a_healthy_second_pass_wins) {
  auto reference = local_text();
  ASSERT_FALSE(reference.empty());
  auto log = run(options("words"));
  ASSERT_EQ(log->segments.size(), 1u);
  const auto& seg = log->segments[0];
  EXPECT_EQ(seg.utt, 0u);
  // The server echoes what it received: the whole utterance.
  EXPECT_EQ(seg.text.rfind("received " + std::to_string(pcm_.size()) + " samples", 0),
            0u)
    << seg.text;
  EXPECT_EQ(seg.recognizer, "openai");
  ASSERT_FALSE(seg.alternatives.empty());
  EXPECT_EQ(seg.alternatives[0], reference);
  // The server's word timings, in session time, with its probabilities.
  ASSERT_EQ(seg.words.size(), 5u);
  EXPECT_EQ(seg.words[1].start_ms, 250);
  EXPECT_FLOAT_EQ(seg.words[1].confidence, 0.75f);
  ASSERT_EQ(log->outcomes.size(), 1u);
  EXPECT_EQ(log->outcomes[0].outcome, "won");
  EXPECT_TRUE(log->restarts.empty());
  ASSERT_TRUE(log->drained);
  EXPECT_EQ(*log->drained, 1u);
}

TEST_F(second_pass_test, winners_keep_the_local_adaptation_chain) {
  std::vector<std::vector<int16_t>> clips{pcm_, shared_speech("pocketsphinx_cards_001.wav")};
  auto local = local_segments(clips);
  ASSERT_EQ(local.size(), 2u);
  // The second utterance starts from the state the first one left.
  ASSERT_FALSE(local[1].adapt_state.empty());
  auto log = run(options("echo"), clips);
  ASSERT_EQ(log->segments.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(log->segments[i].recognizer, "openai");
    EXPECT_EQ(log->segments[i].adapt_state, local[i].adapt_state) << i;
    EXPECT_EQ(log->segments[i].alternatives.at(0), local[i].text) << i;
    EXPECT_EQ(log->segments[i].start_ms, local[i].start_ms);
    EXPECT_EQ(log->segments[i].end_ms, local[i].end_ms);
  }
}

TEST_F(second_pass_test, http_500_leaves_the_local_final) {
  auto reference = local_text();
  auto log = run(options("error500"));
  expect_local_final_stands(*log, reference);
  EXPECT_NE(log->outcomes[0].reason.find("HTTP 500"), std::string::npos)
    << log->outcomes[0].reason;
  ASSERT_EQ(log->restarts.size(), 1u);
  EXPECT_EQ(log->restarts[0].kind, "stt.second_pass");
}

TEST_F(second_pass_test, garbled_replies_leave_the_local_final) {
  auto reference = local_text();
  for (const char* model : {"garbled", "badjson", "badutf8"}) {
    auto log = run(options(model));
    SCOPED_TRACE(model);
    expect_local_final_stands(*log, reference);
    EXPECT_EQ(log->restarts.size(), 1u);
  }
}

TEST_F(second_pass_test, a_hung_server_leaves_the_local_final) {
  auto reference = local_text();
  auto o = options("sleep:3000");
  // The HTTP call gives up at deadline + margin (700 ms of real time here),
  // far before the server would answer.
  o.worker.stt.second_pass_deadline_ms = 200;
  auto log = run(o);
  expect_local_final_stands(*log, reference, 200);
  EXPECT_NE(log->outcomes[0].reason.find("within 700 ms"), std::string::npos)
    << log->outcomes[0].reason;
}

TEST_F(second_pass_test, a_hung_worker_costs_the_deadline_then_is_restarted) {
  auto reference = local_text();
  auto log = run(options("echo", "stt.second_pass.hang=1"));
  expect_local_final_stands(*log, reference);
  // The deadline passed first (the segment), then the watchdog found the
  // worker silent and restarted it.
  EXPECT_EQ(log->segment_at_ms[0] - *closed_at_, 1500);
  EXPECT_EQ(log->order, (std::vector<std::string>{"segment", "restart", "outcome"}));
  EXPECT_NE(log->outcomes[0].reason.find("no answer"), std::string::npos)
    << log->outcomes[0].reason;
}

TEST_F(second_pass_test, a_crashing_worker_is_restarted_and_escalates_quietly) {
  auto reference = local_text();
  auto log = run(options("echo", "stt.second_pass.crash=1"));
  expect_local_final_stands(*log, reference);
  ASSERT_EQ(log->restarts.size(), 1u);
  EXPECT_NE(log->restarts[0].reason.find("crash"), std::string::npos);
  // Past the restart intensity the second pass goes off; the local
  // recogniser carries on and no word is lost.
  auto pcm2 = shared_speech("pocketsphinx_cards_001.wav");
  log = run(options("echo", "stt.second_pass.crash=1", 0), {pcm_, pcm2});
  ASSERT_EQ(log->escalations.size(), 1u);
  EXPECT_EQ(log->escalations[0].kind, "stt.second_pass");
  ASSERT_EQ(log->segments.size(), 2u);
  EXPECT_EQ(log->segments[0].text, reference);
  for (const auto& s : log->segments)
    EXPECT_EQ(s.recognizer, "pocketsphinx");
  ASSERT_TRUE(log->drained) << "the agent itself did not escalate";
  EXPECT_EQ(*log->drained, 2u);
}

TEST_F(second_pass_test, local_crash_replay_still_emits_one_segment_per_utterance) {
  auto reference = local_text();
  auto pcm2 = shared_speech("pocketsphinx_cards_001.wav");
  int replays = 0;
  for (uint64_t seed : {1, 2, 3, 4}) {
    auto o = options("echo");
    o.worker.faults = supervision::fault_injector{
      *supervision::fault_spec::parse("stt.crash=0.5"), seed};
    auto log = run(o, {pcm_, pcm2});
    replays += !log->restarts.empty();
    ASSERT_EQ(log->segments.size(), 2u) << "seed " << seed;
    EXPECT_EQ(log->segments[0].utt, 0u);
    EXPECT_EQ(log->segments[1].utt, 1u);
    for (const auto& s : log->segments)
      EXPECT_EQ(s.recognizer, "openai");
    ASSERT_FALSE(log->segments[0].alternatives.empty());
    EXPECT_EQ(log->segments[0].alternatives[0], reference) << "seed " << seed;
    EXPECT_EQ(log->outcomes.size(), 2u);
  }
  EXPECT_GT(replays, 0) << "no seed crashed the local recogniser";
}

TEST_F(second_pass_test, the_session_counts_outcomes_and_stays_healthy) {
  session::session_options o;
  o.session_id = "second-pass";
  auto cfg = config::load();
  ASSERT_TRUE(cfg);
  o.cfg = *cfg;
  o.cfg.stt.second_pass = "openai";
  o.cfg.stt.openai.url = "http://127.0.0.1:" + std::to_string(server->port())
                         + "/v1/audio/transcriptions";
  o.cfg.stt.openai.model = "error500";
  o.detached_providers = false;
  auto s = track(session::spawn_session(sys(), o));
  auto summary = std::make_shared<std::optional<msg::session_summary>>();
  track(sys().spawn([=](caf::event_based_actor* self) {
    uint64_t seq = 0;
    for (std::size_t off = 0; off < pcm_.size(); off += 320, ++seq)
      self->send(s, msg::audio_frame{
                      seq, static_cast<int64_t>(seq) * 20,
                      std::vector<int16_t>(pcm_.begin() + off,
                                           pcm_.begin() + std::min(pcm_.size(), off + 320))});
    self->request(s, caf::infinite, msg::finish_atom::value)
      .then([=](msg::session_summary& m) { *summary = m; });
  }));
  run_all();
  ASSERT_TRUE(*summary);
  const auto& sm = **summary;
  EXPECT_TRUE(sm.error.empty()) << sm.error;
  ASSERT_FALSE(sm.segments.empty());
  EXPECT_EQ(sm.second_pass.at("won"), 0u);
  EXPECT_EQ(sm.second_pass.at("late"), 0u);
  EXPECT_EQ(sm.second_pass.at("failed"), sm.segments.size());
  EXPECT_EQ(sm.restarts.at("stt.second_pass"), sm.segments.size());
  EXPECT_EQ(sm.restarts.at("stt"), 0u);
}
