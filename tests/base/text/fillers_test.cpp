#include "base/text/fillers.hpp"

#include <gtest/gtest.h>

using namespace sof::text;
using counts = std::map<std::string, uint32_t>;

TEST(fillers, hesitations_and_their_stretched_spellings) {
  EXPECT_EQ(count_fillers("Um, so uh we shard. Umm, er, hmm... Uhh ERM ah hmmm"),
            (counts{{"ah", 1}, {"er", 1}, {"erm", 1}, {"hmm", 2}, {"uh", 2}, {"um", 2}}));
}

TEST(fillers, phrases_count_once_and_are_not_double_counted) {
  auto c = count_fillers("You know, I mean, it's basically a queue. Actually you know what");
  EXPECT_EQ(c, (counts{{"actually", 1}, {"basically", 1}, {"i mean", 1}, {"you know", 2}}));
  EXPECT_EQ(total_fillers(c), 5u);
}

TEST(fillers, kind_of_is_a_filler_only_as_a_hedge) {
  EXPECT_EQ(count_fillers("it's kind of slow and sort of fragile"),
            (counts{{"kind of", 1}, {"sort of", 1}}));
  EXPECT_TRUE(count_fillers("What kind of database? A sort of queue. This kind of load.").empty());
}

TEST(fillers, ordinary_words_are_not_fillers) {
  // "like" is left out on purpose (see fillers.cpp); words that merely
  // contain a filler's letters do not count.
  EXPECT_TRUE(count_fillers("I like Redis; the error rate is human, ahead of umbrella "
                            "hummus, mean time to recovery, erase the hum")
                .empty());
  EXPECT_TRUE(count_fillers("").empty());
  EXPECT_EQ(total_fillers({}), 0u);
}

TEST(fillers, like_is_never_counted) {
  // Without the pauses that set it off, "like" as a filler cannot be told
  // from the verb and the comparison (fillers.cpp says why).
  EXPECT_EQ(count_fillers("I would like a cache that looks like a map."), counts{});
  EXPECT_EQ(count_fillers("It was like really slow"), counts{});
}

TEST(fillers, hesitations_by_word) {
  EXPECT_TRUE(is_hesitation("um"));
  EXPECT_TRUE(is_hesitation("ummm"));
  EXPECT_TRUE(is_hesitation("hmm"));
  EXPECT_FALSE(is_hesitation("umbrella"));
  EXPECT_FALSE(is_hesitation("like"));
}
