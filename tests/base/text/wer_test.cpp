#include "base/text/wer.hpp"

#include <gtest/gtest.h>

using namespace sof::text;

TEST(wer, normalizes_case_and_punctuation) {
  EXPECT_EQ(normalize_words("Hello, World! It's fault-tolerant."),
            (std::vector<std::string>{"hello", "world", "it's", "fault",
                                      "tolerant"}));
}

TEST(wer, identical_is_zero) {
  EXPECT_DOUBLE_EQ(word_error_rate("go forward ten meters",
                                   "Go forward, ten meters.")
                     .rate(),
                   0.0);
}

TEST(wer, counts_substitutions_deletions_insertions) {
  auto r = word_error_rate("a b c d", "a x c d e");
  EXPECT_EQ(r.substitutions, 1u);
  EXPECT_EQ(r.insertions, 1u);
  EXPECT_EQ(r.deletions, 0u);
  EXPECT_DOUBLE_EQ(r.rate(), 0.5);
  auto d = word_error_rate("a b c d", "a d");
  EXPECT_EQ(d.deletions, 2u);
  EXPECT_DOUBLE_EQ(d.rate(), 0.5);
}

TEST(wer, empty_cases) {
  EXPECT_DOUBLE_EQ(word_error_rate("", "").rate(), 0.0);
  EXPECT_DOUBLE_EQ(word_error_rate("", "x").rate(), 1.0);
  EXPECT_DOUBLE_EQ(word_error_rate("a b", "").rate(), 1.0);
  EXPECT_EQ(count_words("  one two  three "), 3u);
}
