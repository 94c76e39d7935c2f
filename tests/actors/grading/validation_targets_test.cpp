// The validation set (tests/data/grading/validation/, never tuned on)
// against the targets of issue 17. A failure means the engine got worse
// on answers it was not tuned for, or the set changed.
#include "tests/actors/grading/grading_fixture.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace sof::grading;

namespace {

sof::config::question adhoc_question(const validation::answer& a) {
  auto spec = [](const std::string& t) { return static_cast<double>(test::kb()->idf(t)); };
  auto q = question_from_text(a.question_text, test::bank().generic(),
                              kb_citations(test::kb()), spec);
  q.id = "adhoc:" + a.question;
  return q;
}

scorecard grade(const sof::config::question& q, const validation::answer& a) {
  return test::judging_engine().grade(q, transcript_from_text(a.text));
}

}  // namespace

TEST(grading_validation_targets, adhoc_experts_scale_and_the_poor_fail) {
  auto answers = validation::load_validation("adhoc");
  ASSERT_EQ(answers.size(), 32u);
  int strong = 0, scaled = 0;
  for (const auto& a : answers) {
    auto card = grade(adhoc_question(a), a);
    if (a.level == "strong") {
      ++strong;
      scaled += card.result.result == outcome::scale;
    } else {
      EXPECT_EQ(card.result.result, outcome::fail) << a.file << " " << card.result.overall;
    }
  }
  // Target: at least 7 of 8 expert answers reach Scale without a rubric.
  EXPECT_GE(scaled * 8, strong * 7) << scaled << " of " << strong;
}

TEST(grading_validation_targets, adhoc_answers_to_another_question_fail_below_the_on_topic) {
  auto answers = validation::load_validation("adhoc");
  std::map<std::string, sof::config::question> questions;
  std::map<std::string, double> weakest_strong;
  for (const auto& a : answers) {
    auto [it, fresh] = questions.try_emplace(a.question);
    if (fresh)
      it->second = adhoc_question(a);
    if (a.level == "strong") {
      auto [w, _] = weakest_strong.try_emplace(a.question, 100.0);
      w->second = std::min(w->second, grade(it->second, a).result.overall);
    }
  }
  for (const auto& a : answers) {
    if (a.level != "strong")
      continue;
    for (const auto& [id, q] : questions) {
      if (id == a.question)
        continue;
      auto card = grade(q, a);
      EXPECT_EQ(card.result.result, outcome::fail) << a.file << " on " << id;
      EXPECT_LT(card.result.overall, weakest_strong[id]) << a.file << " on " << id;
    }
  }
}

TEST(grading_validation_targets, bank_thin_and_buzzword_answers_fail) {
  for (const auto& a : validation::load_validation("bank")) {
    if (a.level != "weak")
      continue;
    auto card = grade(*test::bank().find(a.question), a);
    EXPECT_EQ(card.result.result, outcome::fail) << a.file << " " << card.result.overall;
  }
}
