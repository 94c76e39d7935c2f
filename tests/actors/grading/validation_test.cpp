// The validation set: answers of known quality must be ordered and judged
// correctly. These are quality assertions on the engine as a whole; if one
// fails, the engine got worse (or the data changed), not the test.
#include "base/text/wer.hpp"
#include "tests/actors/grading/grading_fixture.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace sof::grading;

namespace {

const std::vector<validation::graded>& graded_set() {
  static std::vector<validation::graded> g = [] {
    std::vector<validation::graded> out;
    for (auto& a : validation::load()) {
      const auto* q = test::bank().find(a.question);
      if (!q)
        throw std::runtime_error("validation set names unknown question " + a.question);
      auto card = test::judging_engine().grade(*q, transcript_from_text(a.text));
      out.push_back({a, card.result.overall, card.result.result});
    }
    return out;
  }();
  return g;
}

}  // namespace

TEST(grading_validation_set, has_four_levels_for_at_least_six_questions) {
  std::map<std::string, std::set<std::string>> levels;
  for (const auto& g : graded_set()) {
    levels[g.a.question].insert(g.a.level);
    const auto words = sof::text::count_words(g.a.text);
    if (g.a.level == "strong") {
      EXPECT_GE(words, 150u) << g.a.file;
      EXPECT_LE(words, 400u) << g.a.file;
    }
  }
  EXPECT_GE(levels.size(), 6u);
  for (const auto& [q, l] : levels)
    EXPECT_EQ(l.size(), 4u) << q;
}

TEST(grading_validation_set, orders_levels_in_at_least_90_percent_of_pairs) {
  for (const auto& [q, s] : validation::pairwise(graded_set())) {
    EXPECT_GE(s.accuracy(), 0.9) << q << ": " << s.correct << "/" << s.pairs;
  }
}

TEST(grading_validation_set, strong_scales_weak_and_off_topic_fail) {
  for (const auto& g : graded_set()) {
    if (g.a.level == "strong") {
      EXPECT_EQ(g.result, outcome::scale) << g.a.file << " overall " << g.overall;
    }
    if (g.a.level == "weak" || g.a.level == "off-topic") {
      EXPECT_EQ(g.result, outcome::fail) << g.a.file << " overall " << g.overall;
    }
  }
}

// Relevance on the calibration set: every strong answer graded against
// every other question of the set fails and stays below that question's
// own strong answers.
TEST(grading_validation_set, answers_to_another_question_fail_below_the_on_topic_ones) {
  std::map<std::string, double> weakest_strong;
  for (const auto& g : graded_set())
    if (g.a.level == "strong") {
      auto [it, _] = weakest_strong.try_emplace(g.a.question, 100.0);
      it->second = std::min(it->second, g.overall);
    }
  int graded = 0;
  for (const auto& g : graded_set()) {
    if (g.a.level != "strong")
      continue;
    for (const auto& [id, floor] : weakest_strong) {
      if (id == g.a.question)
        continue;
      auto card = test::judging_engine().grade(*test::bank().find(id),
                                               transcript_from_text(g.a.text));
      ++graded;
      EXPECT_EQ(card.result.result, outcome::fail) << g.a.file << " on " << id;
      EXPECT_LT(card.result.overall, floor) << g.a.file << " on " << id;
      EXPECT_FALSE(card.result.relevance.relevant) << g.a.file << " on " << id;
    }
  }
  EXPECT_GE(graded, 60);
}
