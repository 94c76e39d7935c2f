// Derived rubrics: what an ad-hoc question is graded against.
#include "tests/actors/grading/grading_fixture.hpp"

#include <gtest/gtest.h>

using namespace sof::grading;

TEST(grading_derived_rubric, clauses_are_the_questions_asks) {
  auto c = question_clauses(
    "Design a ride-hailing service like Uber: riders request a ride, and nearby drivers are "
    "matched. Both see the trip live on a map. How would you build it?");
  EXPECT_EQ(c, (std::vector<std::string>{"riders request a ride", "nearby drivers are matched",
                                         "Both see the trip live on a map"}));
  // "bit.ly" and "10:00" are not clause ends; a bare instruction is no ask.
  auto d = question_clauses("Design a URL shortener like bit.ly: a sale opens at 10:00 sharp. "
                            "Explain your design.");
  EXPECT_EQ(d, (std::vector<std::string>{"a sale opens at 10:00 sharp"}));
  EXPECT_TRUE(question_clauses("").empty());
  EXPECT_TRUE(question_clauses("How would you build it?").empty());
}

TEST(grading_derived_rubric, adds_clause_points_and_only_specific_passages) {
  auto spec = [](const std::string& t) { return static_cast<double>(test::kb()->idf(t)); };
  const std::string text =
    "Design a web cache for a social network: users read profile pages, and pages must stay "
    "fresh when profiles change.";
  auto q = question_from_text(text, test::bank().generic(), kb_citations(test::kb()), spec);
  EXPECT_TRUE(q.derived);
  EXPECT_EQ(q.prompt, text);
  const auto* arch = q.dimension("architecture");
  ASSERT_NE(arch, nullptr);
  int asks = 0;
  for (const auto& p : arch->points)
    if (p.id.rfind("ask-", 0) == 0) {
      ++asks;
      EXPECT_EQ(p.weight, 2);
      EXPECT_FALSE(p.phrasings.empty());
      EXPECT_NE(p.followup.find(p.phrasings.front()), std::string::npos);
    }
  EXPECT_EQ(asks, 2);
  // Passage points weigh by specificity (1 or 2); with a threshold no one
  // can reach, none is kept.
  std::size_t kb_points = 0;
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points)
      if (p.id.rfind("kb-", 0) == 0) {
        ++kb_points;
        EXPECT_TRUE(p.weight == 1 || p.weight == 2) << p.id;
      }
  EXPECT_GT(kb_points, 0u);
  derive_options strict;
  strict.kb_min_specificity = 1.01;
  auto none = question_from_text(text, test::bank().generic(), kb_citations(test::kb()), spec,
                                 strict);
  for (const auto& d : none.dimensions)
    for (const auto& p : d.points)
      EXPECT_NE(p.id.rfind("kb-", 0), 0u) << p.id;
}

TEST(grading_derived_rubric, generic_points_evidence_by_cues_in_any_domain) {
  // The generic rubric's phrasings are about other systems; its cues are
  // not: a sentence about seats that fails over and retries evidences the
  // reliability points of an ad-hoc question.
  auto q = question_from_text("Design a ticketing system for concerts.", test::bank().generic(),
                              {});
  const auto* rel = q.dimension("reliability");
  ASSERT_NE(rel, nullptr);
  const auto& failures = rel->points.front();
  ASSERT_FALSE(failures.cues.empty());
  auto ev = test::engine().prepare(transcript_from_text(
    "If the seat inventory primary fails, a replica takes over through automatic failover, "
    "so no booking is lost."));
  auto with = test::engine().score_point("reliability", failures, ev);
  engine_options no_cues;
  no_cues.cue_similarity = 0;
  rubric_engine plain(&test::kb()->query_embedder(), {}, no_cues);
  auto without = plain.score_point("reliability", failures, plain.prepare(transcript_from_text(
    "If the seat inventory primary fails, a replica takes over through automatic failover, "
    "so no booking is lost.")));
  EXPECT_TRUE(with.covered) << with.score;
  EXPECT_GT(with.score, without.score);
}
