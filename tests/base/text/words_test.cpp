#include "base/text/words.hpp"

#include <gtest/gtest.h>

using namespace sof::text;

TEST(words, function_words_are_stopwords_and_domain_words_are_not) {
  for (auto w : {"the", "of", "would", "and", "which"})
    EXPECT_TRUE(is_stopword(w)) << w;
  for (auto w : {"system", "data", "cache", "queue", "shard", "seat"})
    EXPECT_FALSE(is_stopword(w)) << w;
}

TEST(words, vague_words_include_the_filler_lists_hesitations) {
  for (auto w : {"thing", "really", "okay", "um", "ummm", "uh", "hmm"})
    EXPECT_TRUE(is_vague_word(w)) << w;
  for (auto w : {"the", "cache", "hold", "payment"})
    EXPECT_FALSE(is_vague_word(w)) << w;
  EXPECT_TRUE(is_function_or_vague("the"));
  EXPECT_TRUE(is_function_or_vague("basically"));
  EXPECT_FALSE(is_function_or_vague("idempotency"));
}
