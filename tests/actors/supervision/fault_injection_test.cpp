#include "actors/supervision/fault_injection.hpp"

#include "actors/common/errors.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sof::supervision;

TEST(fault_spec, parses_probabilities_and_durations) {
  auto spec = fault_spec::parse("stt.crash=0.3, stt.delay=200ms,tts.hang=0.1,"
                                "grader.garbage=0.5,followup.delay=1.5s");
  ASSERT_TRUE(spec) << sof::describe(spec.error());
  ASSERT_NE(spec->find("stt"), nullptr);
  EXPECT_DOUBLE_EQ(spec->find("stt")->crash, 0.3);
  EXPECT_EQ(spec->find("stt")->delay.count(), 200);
  EXPECT_DOUBLE_EQ(spec->find("tts")->hang, 0.1);
  EXPECT_EQ(spec->find("followup")->delay.count(), 1500);
  // "grader" applies to every grader dimension.
  ASSERT_NE(spec->find("grader.data"), nullptr);
  EXPECT_DOUBLE_EQ(spec->find("grader.data")->garbage, 0.5);
  EXPECT_EQ(spec->find("embed"), nullptr);
}

// The second pass is its own target: chaos on the local recogniser must
// not reach it (and the other way round).
TEST(fault_spec, the_second_pass_is_a_target_of_its_own) {
  auto spec = fault_spec::parse("stt.second_pass.hang=1");
  ASSERT_TRUE(spec) << sof::describe(spec.error());
  ASSERT_NE(spec->find("stt.second_pass"), nullptr);
  EXPECT_DOUBLE_EQ(spec->find("stt.second_pass")->hang, 1.0);
  EXPECT_EQ(spec->find("stt"), nullptr);
  auto local = fault_spec::parse("stt.crash=1");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->find("stt.second_pass"), nullptr);
}

// There is no language model to fault: a spec naming one must not parse and
// then silently do nothing; the error names the interviewer's real target.
TEST(fault_spec, llm_is_an_error_that_names_the_followup_target) {
  auto spec = fault_spec::parse("llm.crash=0.3");
  ASSERT_FALSE(spec);
  EXPECT_NE(sof::describe(spec.error()).find("'followup'"), std::string::npos);
  const auto& known = fault_spec::known_targets();
  EXPECT_EQ(std::find(known.begin(), known.end(), "llm"), known.end());
}

TEST(fault_spec, empty_spec_is_valid_and_inactive) {
  auto spec = fault_spec::parse("  ");
  ASSERT_TRUE(spec);
  EXPECT_TRUE(spec->empty());
  fault_injector inj{*spec, 1};
  EXPECT_FALSE(inj.active());
  EXPECT_FALSE(inj.plan("stt", 1, 0).any());
}

TEST(fault_spec, rejects_malformed_specs_with_a_reason) {
  for (const char* bad : {"stt.crash=1.5", "stt.crash=abc", "stt=0.3",
                          "nope.crash=0.1", "stt.explode=0.1",
                          "stt.delay=-3ms", "stt.delay=10minutes"}) {
    auto spec = fault_spec::parse(bad);
    EXPECT_FALSE(spec) << bad;
    if (!spec)
      EXPECT_NE(sof::describe(spec.error()).find("chaos"), std::string::npos);
  }
}

TEST(fault_injector, decisions_are_reproducible_and_seed_dependent) {
  auto spec = *fault_spec::parse("stt.crash=0.3");
  fault_injector a{spec, 7}, b{spec, 7}, c{spec, 8};
  int same_seed_equal = 0, other_seed_equal = 0, crashes = 0;
  for (uint64_t call = 0; call < 1000; ++call) {
    auto pa = a.plan("stt", call, 0);
    same_seed_equal += pa.crash == b.plan("stt", call, 0).crash;
    other_seed_equal += pa.crash == c.plan("stt", call, 0).crash;
    crashes += pa.crash;
  }
  EXPECT_EQ(same_seed_equal, 1000);
  EXPECT_LT(other_seed_equal, 1000);
  // ~30% crash rate over 1000 calls.
  EXPECT_GT(crashes, 240);
  EXPECT_LT(crashes, 360);
}

TEST(fault_injector, retries_get_fresh_decisions) {
  auto spec = *fault_spec::parse("stt.crash=0.5");
  fault_injector inj{spec, 3};
  // For any call, some attempt within a few retries does not crash.
  for (uint64_t call = 0; call < 200; ++call) {
    uint32_t attempt = 0;
    while (inj.plan("stt", call, attempt).crash)
      ++attempt;
    EXPECT_LT(attempt, 20u);
  }
}

TEST(fault_injector, garbage_text_is_not_a_plausible_transcript) {
  auto g = garbage_text(5);
  EXPECT_GT(g.size(), 10000u);
  EXPECT_EQ(g, garbage_text(5));
}
