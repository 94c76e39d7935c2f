// The follow-up agent under injected faults (chaos target "followup") in a
// typed-answer session on the deterministic scheduler: a crash is restarted
// under the session's supervision with the configured backoff (and past the
// configured intensity escalates without failing the session), a hang runs
// into the session's deadline instead of blocking the finish, a delay still
// delivers, a malformed decision is validated and dropped, an error is
// absorbed. In every case the summary keeps every word the candidate said.
#include "tests/actors/session/actor_fixture.hpp"

#include "actors/grading/sentences.hpp"
#include "actors/session/session_actor.hpp"
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

using namespace sof;

namespace {

struct heard {
  std::vector<msg::followup_question> followups;
  std::vector<msg::provider_restarted> restarts;
  std::vector<msg::provider_escalated> escalations;
  std::optional<msg::session_summary> summary;
};

caf::behavior listener(caf::event_based_actor*, std::shared_ptr<heard> h) {
  return {
    [=](msg::followup_question& q) { h->followups.push_back(q); },
    [=](msg::provider_restarted& m) { h->restarts.push_back(m); },
    [=](msg::provider_escalated& m) { h->escalations.push_back(m); },
    [=](msg::transcript_segment&) {},
    [=](msg::turn_ended&) {},
    [=](msg::dimension_result&) {},
    [=](msg::coverage_update&) {},
  };
}

const char* turns[] = {
  "We sell tickets for big concerts. Users pick seats and pay.",
  "Seats are held for ten minutes while the user pays.",
  "Reserving a seat is a conditional update, so a seat is never sold twice.",
};

class session_faults_test : public ::testing::Test, public test::actor_fixture {
 protected:
  std::shared_ptr<heard> run(const std::string& chaos, int max_restarts = 30) {
    auto h = std::make_shared<heard>();
    auto la = track(sys().spawn(listener, h));
    session::session_options o;
    o.session_id = "faults-test";
    auto cfg = config::load();
    EXPECT_TRUE(cfg);
    o.cfg = *cfg;
    o.cfg.supervision.max_restarts = max_restarts;
    o.faults = supervision::fault_injector{*supervision::fault_spec::parse(chaos), 7};
    o.detached_providers = false;
    o.listener = la;
    const auto* q = grading::test::bank().find("ticketing-flash-sale");
    EXPECT_NE(q, nullptr);
    o.interview.question = std::make_shared<const config::question>(*q);
    o.interview.engine = std::shared_ptr<const grading::rubric_engine>(
      &grading::test::engine(), [](const grading::rubric_engine*) {});
    o.interview.followup_deadline_ms = 700;
    auto s = track(session::spawn_session(sys(), o));
    int64_t clock_ms = 0;
    uint32_t utt = 0;
    for (uint32_t t = 0; t < 3; ++t) {
      for (auto& line : grading::transcript_from_text(turns[t])) {
        auto len = line.end_ms - line.start_ms;
        caf::anon_send(s, msg::transcript_segment{utt++, clock_ms, clock_ms + len, line.text});
        clock_ms += len + 300;
      }
      caf::anon_send(s, msg::turn_ended{t, clock_ms, 2500, false});
      clock_ms += 2500;
      run_all();  // backoffs and deadlines pass between turns
    }
    track(sys().spawn([=](caf::event_based_actor* self) {
      self->request(s, caf::infinite, msg::finish_atom::value)
        .then([=](msg::session_summary& m) { h->summary = m; });
    }));
    run_all();
    return h;
  }

  // Every word of every turn is in the summary, which is graded and clean.
  static void expect_nothing_said_lost(const heard& h) {
    ASSERT_TRUE(h.summary) << "the session must finish";
    EXPECT_TRUE(h.summary->error.empty()) << h.summary->error;
    EXPECT_TRUE(h.summary->graded);
    EXPECT_EQ(h.summary->card.dimensions.size(), 6u);
    for (const char* t : turns)
      for (auto& line : grading::transcript_from_text(t))
        EXPECT_NE(h.summary->text.find(line.text), std::string::npos) << line.text;
  }
};

}  // namespace

TEST_F(session_faults_test, fault_free_session_asks_a_follow_up_every_turn) {
  auto h = run("");
  expect_nothing_said_lost(*h);
  EXPECT_EQ(h->summary->followups.size(), 3u);
  EXPECT_TRUE(h->summary->absorbed.empty());
  EXPECT_EQ(h->summary->restarts.count("followup"), 0u);
}

TEST_F(session_faults_test, crashed_agent_is_restarted_and_the_session_goes_on) {
  auto h = run("followup.crash=1");
  expect_nothing_said_lost(*h);
  EXPECT_TRUE(h->summary->followups.empty()) << "every decision crashed";
  EXPECT_EQ(h->summary->absorbed["followup_lost"], 3u);
  EXPECT_EQ(h->summary->restarts["followup"], 3u) << "one restart per crash";
  ASSERT_EQ(h->restarts.size(), 3u);
  EXPECT_EQ(h->restarts[0].kind, "followup");
  // The configured backoff: initial, then doubled (no progress between).
  const auto& sv = config::supervision_settings{};
  EXPECT_EQ(h->restarts[0].backoff_ms, sv.backoff_initial_ms);
  EXPECT_EQ(h->restarts[1].backoff_ms,
            static_cast<int64_t>(sv.backoff_initial_ms * sv.backoff_multiplier));
  EXPECT_TRUE(h->escalations.empty());
}

TEST_F(session_faults_test, crashes_past_the_intensity_escalate_without_failing) {
  auto h = run("followup.crash=1", 1);
  expect_nothing_said_lost(*h);
  EXPECT_EQ(h->summary->restarts["followup"], 1u);
  ASSERT_EQ(h->escalations.size(), 1u);
  EXPECT_EQ(h->escalations[0].kind, "followup");
  // Turn 3 found no agent at all: still lost, not an error.
  EXPECT_EQ(h->summary->absorbed["followup_lost"], 3u);
}

TEST_F(session_faults_test, hung_agent_runs_into_the_deadline_not_the_finish) {
  auto h = run("followup.hang=1");
  expect_nothing_said_lost(*h);
  EXPECT_TRUE(h->summary->followups.empty());
  EXPECT_EQ(h->summary->absorbed["followup_lost"], 3u);
  EXPECT_EQ(h->summary->restarts.count("followup"), 0u) << "a hang is not a crash";
}

TEST_F(session_faults_test, delayed_decisions_still_arrive) {
  auto h = run("followup.delay=300ms");
  expect_nothing_said_lost(*h);
  EXPECT_EQ(h->summary->followups.size(), 3u);
  EXPECT_TRUE(h->summary->absorbed.empty());
}

TEST_F(session_faults_test, delay_past_the_deadline_loses_the_follow_up) {
  auto h = run("followup.delay=2s");
  expect_nothing_said_lost(*h);
  EXPECT_TRUE(h->summary->followups.empty());
  EXPECT_EQ(h->summary->absorbed["followup_lost"], 3u);
}

TEST_F(session_faults_test, malformed_decisions_are_dropped_and_counted) {
  auto h = run("followup.garbage=1");
  expect_nothing_said_lost(*h);
  EXPECT_TRUE(h->summary->followups.empty());
  EXPECT_TRUE(h->followups.empty()) << "nothing malformed reaches the candidate";
  EXPECT_EQ(h->summary->absorbed["followup_rejected"], 3u);
}

TEST_F(session_faults_test, agent_errors_are_absorbed) {
  auto h = run("followup.error=1");
  expect_nothing_said_lost(*h);
  EXPECT_TRUE(h->summary->followups.empty());
  EXPECT_EQ(h->summary->absorbed["followup_lost"], 3u);
  EXPECT_EQ(h->summary->restarts.count("followup"), 0u);
}
