// A typed-answer interview session with the voice agent on the
// deterministic scheduler: each follow-up is spoken (audio reaches the
// listener), and the candidate speaking cuts the interviewer off, with
// what was left unsaid recorded in the session summary.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/grading/sentences.hpp"
#include "actors/session/session_actor.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

using namespace sof;

namespace {

struct listened {
  std::vector<msg::followup_question> followups;
  std::vector<msg::voice_chunk> chunks;
  std::vector<msg::voice_done> done;
  std::optional<msg::session_summary> summary;
};

caf::behavior listener(caf::event_based_actor*, std::shared_ptr<listened> l) {
  return {
    [=](msg::followup_question& q) { l->followups.push_back(q); },
    [=](msg::voice_chunk& c) { l->chunks.push_back(std::move(c)); },
    [=](msg::voice_done& d) { l->done.push_back(d); },
    [=](msg::transcript_segment&) {},
    [=](msg::turn_ended&) {},
    [=](msg::speech_started&) {},
    [=](msg::provider_restarted&) {},
    [=](msg::provider_escalated&) {},
    [=](msg::dimension_result&) {},
    [=](msg::coverage_update&) {},
  };
}

session::session_options voice_session(caf::actor listener_actor, bool realtime,
                                       bool read_prompt = false) {
  session::session_options o;
  o.session_id = "voice-test";
  auto cfg = config::load();
  EXPECT_TRUE(cfg);
  o.cfg = *cfg;
  o.cfg.tts.providers = {"flite:kal16"};
  o.cfg.tts.policy = "single";
  o.cfg.tts.realtime = realtime;
  o.detached_providers = false;
  o.listener = listener_actor;
  o.voice = true;
  o.read_prompt = read_prompt;
  const auto* q = grading::test::bank().find("ticketing-flash-sale");
  EXPECT_NE(q, nullptr);
  o.interview.question = std::make_shared<const config::question>(*q);
  o.interview.engine = std::shared_ptr<const grading::rubric_engine>(
    &grading::test::engine(), [](const grading::rubric_engine*) {});
  return o;
}

// One turn of a typed answer: its segments, then the end of the turn.
void send_turn(caf::actor session, uint32_t turn, const std::string& text,
               int64_t& clock_ms, uint32_t& utt) {
  for (auto& line : grading::transcript_from_text(text)) {
    auto len = line.end_ms - line.start_ms;
    caf::anon_send(session, msg::transcript_segment{utt++, clock_ms, clock_ms + len,
                                                    line.text});
    clock_ms += len + 300;
  }
  caf::anon_send(session, msg::turn_ended{turn, clock_ms, 2500, false});
  clock_ms += 2500;
}

}  // namespace

class session_voice_test : public ::testing::Test, public test::actor_fixture {};

TEST_F(session_voice_test, every_follow_up_is_spoken_to_the_candidate) {
  auto l = std::make_shared<listened>();
  auto la = track(sys().spawn(listener, l));
  auto s = track(session::spawn_session(sys(), voice_session(la, false)));
  int64_t clock_ms = 0;
  uint32_t utt = 0;
  send_turn(s, 0, "We sell tickets for big concerts. Users pick seats and pay.", clock_ms, utt);
  run_all();
  send_turn(s, 1, "Seats are held for ten minutes while the user pays.", clock_ms, utt);
  run_all();
  auto driver = track(sys().spawn([=](caf::event_based_actor* self) {
    self->request(s, caf::infinite, msg::finish_atom::value)
      .then([=](msg::session_summary& m) { l->summary = m; });
  }));
  run_all();
  ASSERT_TRUE(l->summary);
  std::size_t asked = 0;
  for (const auto& q : l->followups)
    asked += !q.text.empty() && q.action != "none";
  ASSERT_GE(asked, 1u);
  ASSERT_EQ(l->done.size(), asked);
  for (const auto& d : l->done) {
    EXPECT_EQ(d.outcome, "spoken") << d.reason;
    EXPECT_EQ(d.provider, "flite:kal16");
    EXPECT_GT(d.audio_ms, 500.0);
  }
  EXPECT_FALSE(l->chunks.empty());
  EXPECT_EQ(l->summary->speech.size(), asked);
}

TEST_F(session_voice_test, the_candidate_speaking_cuts_the_interviewer_off) {
  auto l = std::make_shared<listened>();
  auto la = track(sys().spawn(listener, l));
  auto s = track(session::spawn_session(sys(), voice_session(la, true)));
  int64_t clock_ms = 0;
  uint32_t utt = 0;
  send_turn(s, 0, "We sell tickets for big concerts. Users pick seats and pay.", clock_ms, utt);
  sched().run();  // follow-up decided and speaking started: only the lead out
  for (int i = 0; i < 20 && l->chunks.size() < 10; ++i) {
    sched().trigger_timeout();
    sched().run();
  }
  ASSERT_FALSE(l->followups.empty());
  ASSERT_FALSE(l->chunks.empty()) << "the follow-up was not spoken";
  ASSERT_TRUE(l->done.empty()) << "spoken to the end before the candidate spoke";
  auto before = l->chunks.size();
  caf::anon_send(s, msg::speech_started{utt, clock_ms});
  sched().run();
  ASSERT_EQ(l->done.size(), 1u);
  EXPECT_EQ(l->done[0].outcome, "barged_in");
  EXPECT_FALSE(l->done[0].unspoken_text.empty());
  run_all();
  EXPECT_EQ(l->chunks.size(), before) << "audio after the candidate started talking";
}

TEST_F(session_voice_test, the_interviewer_reads_the_question_when_asked) {
  auto l = std::make_shared<listened>();
  auto la = track(sys().spawn(listener, l));
  auto s = track(session::spawn_session(sys(), voice_session(la, false, true)));
  run_all();
  ASSERT_EQ(l->done.size(), 1u);
  EXPECT_EQ(l->done[0].speech_id, msg::prompt_speech_id);
  EXPECT_EQ(l->done[0].outcome, "spoken") << l->done[0].reason;
  EXPECT_NE(l->done[0].spoken_text.find("Ticketmaster"), std::string::npos)
    << "the question's prompt: " << l->done[0].spoken_text;
  ASSERT_FALSE(l->chunks.empty());
  for (const auto& c : l->chunks)
    EXPECT_EQ(c.speech_id, msg::prompt_speech_id);
  EXPECT_TRUE(l->followups.empty());
}

TEST_F(session_voice_test, without_read_prompt_the_interviewer_waits) {
  auto l = std::make_shared<listened>();
  auto la = track(sys().spawn(listener, l));
  auto s = track(session::spawn_session(sys(), voice_session(la, false, false)));
  run_all();
  EXPECT_TRUE(l->chunks.empty());
  EXPECT_TRUE(l->done.empty());
}

TEST_F(session_voice_test, the_candidate_speaking_cuts_the_prompt_off) {
  auto l = std::make_shared<listened>();
  auto la = track(sys().spawn(listener, l));
  auto s = track(session::spawn_session(sys(), voice_session(la, true, true)));
  sched().run();
  for (int i = 0; i < 20 && l->chunks.size() < 10; ++i) {
    sched().trigger_timeout();
    sched().run();
  }
  ASSERT_GE(l->chunks.size(), 10u) << "the prompt was not spoken";
  for (const auto& c : l->chunks)
    EXPECT_EQ(c.speech_id, msg::prompt_speech_id);
  ASSERT_TRUE(l->done.empty()) << "spoken to the end before the candidate spoke";
  auto before = l->chunks.size();
  caf::anon_send(s, msg::speech_started{0, 1200});
  sched().run();
  ASSERT_EQ(l->done.size(), 1u);
  EXPECT_EQ(l->done[0].speech_id, msg::prompt_speech_id);
  EXPECT_EQ(l->done[0].outcome, "barged_in");
  EXPECT_FALSE(l->done[0].unspoken_text.empty());
  run_all();
  EXPECT_EQ(l->chunks.size(), before) << "prompt audio after the candidate started talking";
}
