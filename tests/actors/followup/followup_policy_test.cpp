#include "actors/followup/followup_policy.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace sof;
using namespace sof::followup;
using grading::point_coverage;
using grading::transcript_line;

namespace {

const config::question_bank& bank() {
  static auto b = config::question_bank::load();
  if (!b) ADD_FAILURE() << "question bank failed to load";
  return *b;
}

const config::question& ticketing() {
  const auto* q = bank().find("ticketing-flash-sale");
  if (!q) throw std::runtime_error("ticketing-flash-sale missing from bank");
  return *q;
}

// Coverage of every point of `q`, covered where `pred` says so.
grading::coverage cover(const config::question& q,
                        const std::function<bool(const config::rubric_point&)>&
                          pred) {
  grading::coverage out;
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      bool c = pred(p);
      out.push_back({d.name, p.id, p.weight, c ? 0.9 : 0.0, c,
                     c ? "evidence" : "", 0, 0});
    }
  return out;
}

grading::coverage none_covered(const config::question& q) {
  return cover(q, [](const auto&) { return false; });
}

std::vector<transcript_line> said(std::string text) {
  return {{0, 5000, std::move(text)}};
}

// Memory of an interview in which `cov` was already covered before this
// turn, so none of it counts as the candidate's new ground.
interview_memory seen(const grading::coverage& cov) {
  interview_memory m;
  for (const auto& c : cov)
    if (c.covered) m.covered_before.insert(c.point_id);
  return m;
}

const std::string neutral =
  "So I would start with a simple picture of the whole thing and refine it.";

decision run(const config::question& q, double elapsed,
             const grading::coverage& cov,
             const std::vector<transcript_line>& turn,
             const interview_memory* mem = nullptr,
             delivery_signals delivery = {}) {
  return decide(q, turn_context{elapsed, cov, turn, delivery, mem});
}

}  // namespace

TEST(followup_policy, asks_highest_weight_uncovered_point_of_the_phase) {
  const auto& q = ticketing();
  auto turn = said(neutral);
  auto d = run(q, 60, none_covered(q), turn);
  ASSERT_EQ(d.act, action::ask) << d.reason;
  EXPECT_EQ(d.phase, "requirements");
  EXPECT_EQ(d.reason, "top_uncovered");
  // Three weight-3 requirements-phase points; rubric order breaks the tie.
  EXPECT_EQ(d.point_id, "req-hold-timeout");

  // Cover it: the next essential one of the same phase is asked.
  auto cov = cover(q, [](const auto& p) { return p.id == "req-hold-timeout"; });
  auto mem = seen(cov);
  EXPECT_EQ(run(q, 60, cov, turn, &mem).point_id, "req-no-oversell");

  // A weight-2 point is never preferred while a weight-3 one is open.
  cov = cover(q, [](const auto& p) {
    return p.id == "req-hold-timeout" || p.id == "req-no-oversell";
  });
  mem = seen(cov);
  EXPECT_EQ(run(q, 60, cov, turn, &mem).point_id, "comm-structure");
}

TEST(followup_policy, phase_advances_early_when_its_essentials_are_covered) {
  const auto& q = ticketing();
  auto cov = cover(q, [](const auto& p) {
    return p.phase == "requirements" && p.weight == 3;
  });
  auto mem = seen(cov);
  auto d = run(q, 60, cov, said(neutral), &mem);
  EXPECT_EQ(d.phase, "high_level");
  // The open weight-3 high-level point beats open weight-2 requirements.
  EXPECT_EQ(d.point_id, "arch-virtual-queue");
}

TEST(followup_policy, phases_advance_over_time_and_never_go_back) {
  const auto& q = ticketing();  // 45 minutes, four phases
  auto cov = none_covered(q);
  auto at = [&](double minutes, const interview_memory* mem = nullptr) {
    return q.phases[current_phase(
      q, turn_context{minutes * 60, cov, {}, {}, mem})];
  };
  EXPECT_EQ(at(0), "requirements");
  EXPECT_EQ(at(12), "high_level");
  EXPECT_EQ(at(23), "deep_dive");
  EXPECT_EQ(at(35), "wrap_up");
  interview_memory mem;
  mem.phase_floor = 2;
  EXPECT_EQ(at(1, &mem), "deep_dive");
}

TEST(followup_policy, earlier_phase_points_stay_open_and_are_flagged) {
  const auto& q = ticketing();
  // Deep dive by the clock (and a deep-dive essential still open), but the
  // hold timeout was never discussed.
  auto cov = cover(q, [](const auto& p) {
    return p.id != "req-hold-timeout" && p.id != "data-seat-state";
  });
  auto mem = seen(cov);
  auto d = run(q, 25 * 60, cov, said(neutral), &mem);
  ASSERT_EQ(d.act, action::ask);
  EXPECT_EQ(d.phase, "deep_dive");
  EXPECT_EQ(d.point_id, "req-hold-timeout");
  EXPECT_EQ(d.reason, "top_uncovered_earlier_phase");
  EXPECT_EQ(d.text.rfind("Going back to requirements", 0), 0u) << d.text;
}

TEST(followup_policy, ticketing_asks_about_payment_after_hold_expiry) {
  const auto& q = ticketing();
  // Fresh interview: the first question is the hold and its timeout.
  auto first = run(q, 30, none_covered(q), said(neutral));
  EXPECT_NE(first.text.find("before the purchase page times out"),
            std::string::npos)
    << first.text;

  // Deep dive with the payment guarantees still open; the candidate just
  // talked about the payment service.
  auto cov = cover(q, [](const auto& p) {
    return p.id != "rel-paid-after-expiry" && p.id != "rel-idempotent-payment";
  });
  auto mem = seen(cov);
  auto d = run(q, 25 * 60, cov,
               said("When the hold is created we send the user to the "
                    "payment service."),
               &mem);
  ASSERT_EQ(d.act, action::ask) << d.reason;
  EXPECT_EQ(d.point_id, "rel-paid-after-expiry");
  EXPECT_EQ(d.text,
            "You mentioned the payment service. What happens if the payment "
            "succeeds after the hold expired?");
}

TEST(followup_policy, wrap_up_near_the_end_and_close_past_the_limit) {
  const auto& q = ticketing();
  auto cov = none_covered(q);
  auto turn = said(neutral);
  auto d = run(q, 45 * 60 - 290, cov, turn);
  ASSERT_EQ(d.act, action::wrap_up) << d.reason;
  EXPECT_EQ(d.text, "We have about five minutes left. How would you summarise "
                    "the main trade-offs of your design?");
  EXPECT_EQ(d.reason, "time_low");

  interview_memory mem;
  mem.wrap_up_asked = true;
  auto after = run(q, 45 * 60 - 200, cov, turn, &mem);
  EXPECT_NE(after.act, action::wrap_up);
  // Any question still asked then belongs to the last phase.
  if (after.act == action::ask) {
    for (const auto& d2 : q.dimensions) {
      for (const auto& p : d2.points) {
        if (p.id == after.point_id) {
          EXPECT_EQ(p.phase, "wrap_up");
        }
      }
    }
  }

  auto end = run(q, 45 * 60 + 1, cov, turn, &mem);
  EXPECT_EQ(end.act, action::close);
  EXPECT_EQ(end.reason, "time_up");
  mem.closed = true;
  EXPECT_EQ(run(q, 45 * 60 + 30, cov, turn, &mem).act, action::none);
}

TEST(followup_policy, short_questions_get_a_proportionally_short_wrap_up) {
  const auto* q = bank().find("behavioural-learn-quickly");
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->time_limit_minutes, 10);
  auto cov = none_covered(*q);
  // Four minutes left of ten is not yet wrap-up time...
  EXPECT_NE(run(*q, 6 * 60, cov, said(neutral)).act, action::wrap_up);
  // ...one minute left is, with a behavioural closing question.
  auto d = run(*q, 9 * 60, cov, said(neutral));
  ASSERT_EQ(d.act, action::wrap_up);
  EXPECT_NE(d.text.find("took away"), std::string::npos) << d.text;
}

TEST(followup_policy, silence_gets_a_narrower_hint_from_the_phase) {
  const auto& q = ticketing();
  delivery_signals quiet{6.0, 0};
  auto d = run(q, 60, none_covered(q), {}, nullptr, quiet);
  ASSERT_EQ(d.act, action::ask);
  EXPECT_EQ(d.reason, "silence_hint");
  EXPECT_EQ(d.point_id, "req-hold-timeout");
  EXPECT_EQ(d.text, "Take your time. Maybe start smaller: how would you "
                    "define the purchase-page hold?");
  // Two words are still silence; counted from the transcript when unset.
  auto d2 = run(q, 60, none_covered(q), said("um so"));
  EXPECT_EQ(d2.reason, "silence_hint");
}

TEST(followup_policy, not_sure_moves_off_the_point_just_asked) {
  const auto& q = ticketing();
  followup_session s(q);
  auto cov = none_covered(q);
  auto first = s.on_turn(60, cov, said(neutral));
  ASSERT_EQ(first.act, action::ask);
  auto d = s.on_turn(90, cov, said("Hmm, I'm not sure, honestly."));
  ASSERT_EQ(d.act, action::ask) << d.reason;
  EXPECT_NE(d.point_id, first.point_id);
  EXPECT_EQ(d.reason.rfind("unsure_", 0), 0u) << d.reason;
  EXPECT_EQ(d.text.rfind("That's fine", 0), 0u) << d.text;
  // Same dimension as the point they could not answer: a smaller step.
  EXPECT_EQ(d.reason, "unsure_smaller_step");
  EXPECT_EQ(d.point_id, "req-no-oversell");

  // A long hedged answer that covers ground is an answer, not a pass.
  auto covered = cover(q, [&](const auto& p) {
    return p.id == "req-no-oversell" || p.id == "req-scope-flows";
  });
  interview_memory mem = s.memory();
  auto long_turn = said(
    "I'm not sure about the exact numbers, but the core flow is pick seats, "
    "hold them while paying, confirm, and we can never sell a seat twice so "
    "the inventory needs strong consistency even under heavy contention.");
  auto d3 = run(q, 120, covered, long_turn, &mem);
  EXPECT_EQ(d3.reason.find("unsure"), std::string::npos) << d3.reason;
}

TEST(followup_policy, candidate_covering_ground_is_not_interrupted_for_long) {
  const auto& q = ticketing();
  interview_memory mem;
  auto turn = said(neutral);
  auto two = cover(q, [](const auto& p) {
    return p.id == "req-scope-flows" || p.id == "req-scale-numbers";
  });
  auto d = run(q, 120, two, turn, &mem);
  EXPECT_EQ(d.act, action::encourage);
  EXPECT_EQ(d.reason, "candidate_progressing");
  EXPECT_TRUE(d.point_id.empty());

  auto three = cover(q, [](const auto& p) {
    return p.id == "req-scope-flows" || p.id == "req-scale-numbers"
           || p.id == "req-fairness";
  });
  EXPECT_EQ(run(q, 120, three, turn, &mem).act, action::none);

  // After a quiet turn the interviewer steers again even if it flows.
  mem.quiet_turns = 1;
  EXPECT_EQ(run(q, 120, three, turn, &mem).act, action::ask);
  // Points covered before the turn are not "new".
  mem.quiet_turns = 0;
  mem.covered_before = {"req-scope-flows", "req-scale-numbers", "req-fairness"};
  EXPECT_EQ(run(q, 120, three, turn, &mem).act, action::ask);
}

TEST(followup_policy, never_repeats_a_point_or_question_over_twenty_turns) {
  for (const auto& q : bank().all()) {
    followup_session s(q);
    auto cov = none_covered(q);
    std::set<std::string> points, texts;
    const std::vector<std::string> turns{
      neutral, "", "I don't know.", "We put the data behind a cache service.",
      neutral, "um"};
    // Spread twenty turns over the time before wrap-up.
    double step = (q.time_limit_minutes * 60.0 * 0.8) / 20;
    for (int i = 0; i < 20; ++i) {
      auto turn = said(turns[static_cast<size_t>(i) % turns.size()]);
      auto d = s.on_turn(step * i, cov, turn);
      if (d.act != action::ask) continue;
      EXPECT_TRUE(points.insert(d.point_id).second)
        << q.id << " repeated point " << d.point_id << " at turn " << i;
      EXPECT_TRUE(texts.insert(d.text).second)
        << q.id << " repeated text " << d.text;
    }
    EXPECT_GE(points.size(), 10u) << q.id;
  }
}

TEST(followup_policy, deterministic_for_the_same_inputs) {
  const auto& q = ticketing();
  auto cov = cover(q, [](const auto& p) { return p.weight == 3; });
  std::vector<std::vector<decision>> runs;
  for (int r = 0; r < 2; ++r) {
    followup_session s(q);
    std::vector<decision> out;
    for (int i = 0; i < 12; ++i)
      out.push_back(s.on_turn(i * 200.0, cov,
                              said(i % 3 ? "The seat map sits in our cache."
                                         : "I'm not sure.")));
    runs.push_back(out);
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) {
    EXPECT_EQ(runs[0][i].act, runs[1][i].act) << i;
    EXPECT_EQ(runs[0][i].text, runs[1][i].text) << i;
    EXPECT_EQ(runs[0][i].point_id, runs[1][i].point_id) << i;
    EXPECT_EQ(runs[0][i].phase, runs[1][i].phase) << i;
    EXPECT_EQ(runs[0][i].reason, runs[1][i].reason) << i;
  }
}

TEST(followup_policy, nothing_left_leads_to_wrap_up_then_close) {
  const auto& q = ticketing();
  auto all = cover(q, [](const auto&) { return true; });
  followup_session s(q);
  interview_memory before;
  before.covered_before = {};
  // Everything already covered before this turn: nothing new, nothing open.
  for (const auto& c : all) before.covered_before.insert(c.point_id);
  auto d = run(q, 600, all, said(neutral), &before);
  EXPECT_EQ(d.act, action::wrap_up);
  EXPECT_EQ(d.reason, "nothing_open");
  before.wrap_up_asked = true;
  auto e = run(q, 700, all, said(neutral), &before);
  EXPECT_EQ(e.act, action::close);
  EXPECT_EQ(e.reason, "all_covered");
}

TEST(followup_policy, the_same_words_are_not_hooked_twice) {
  const auto& q = ticketing();
  followup_session s{q};
  auto turn = said("When the hold expires the payment service releases the "
                   "seat and the hold expires again for the next user.");
  auto cov = none_covered(q);
  std::vector<std::string> hooks;
  for (int i = 0; i < 6; ++i) {
    auto d = s.on_turn(60.0 * (i + 1), cov, turn);
    if (d.act != action::ask)
      continue;
    if (d.text.starts_with("You mentioned "))
      hooks.push_back(d.text.substr(0, d.text.find(". ")));
  }
  ASSERT_FALSE(hooks.empty()) << "no question hooked onto the candidate's words";
  std::set<std::string> unique(hooks.begin(), hooks.end());
  EXPECT_EQ(unique.size(), hooks.size()) << "a hook phrase was repeated";
}
