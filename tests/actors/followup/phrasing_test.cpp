#include "actors/followup/phrasing.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace sof::followup;
using sof::grading::transcript_line;

namespace {

std::vector<transcript_line> said(std::string text) {
  return {{0, 1000, std::move(text)}};
}

}  // namespace

TEST(followup_phrasing, hook_takes_noun_phrase_sharing_a_word_with_the_target) {
  auto turn = said("Then we call the payment service which talks to Stripe.");
  EXPECT_EQ(hook_phrase(turn, "What happens if the payment succeeds after "
                              "the hold expired?"),
            "the payment service");
}

TEST(followup_phrasing, hook_readdresses_our_and_skips_unrelated_nouns) {
  auto turn = said("Our load balancer spreads traffic and our seat map is "
                   "cached.");
  EXPECT_EQ(hook_phrase(turn, "How do you store a seat's state?"),
            "your seat map");
  EXPECT_EQ(hook_phrase(turn, "How does the waitlist get notified?"), "");
}

TEST(followup_phrasing, narrow_question_turns_rubric_head_into_a_question) {
  EXPECT_EQ(narrow_question("Handles payment completing after the hold "
                            "expired: extend hold while payment is in flight"),
            "how would you handle payment completing after the hold expired?");
  EXPECT_EQ(narrow_question("Clarifies requirements before designing"),
            "how would you clarify requirements before designing?");
  EXPECT_EQ(narrow_question("Reflects on how they learn best"),
            "how would you reflect on how you learn best?");
  // Not a third-person verb: no hint, the caller falls back.
  EXPECT_EQ(narrow_question("Is honest about the starting point"), "");
}

TEST(followup_phrasing, unsure_cues_are_recognised_including_curly_apostrophes) {
  EXPECT_TRUE(sounds_unsure(said("Hmm, I'm not sure.")));
  EXPECT_TRUE(sounds_unsure(said("I don\xE2\x80\x99t know, honestly")));
  EXPECT_FALSE(sounds_unsure(said("We shard the counter per section.")));
}

TEST(followup_phrasing, words_minutes_and_hash_are_stable) {
  EXPECT_EQ(count_words(said("  one two\tthree  ")), 3);
  EXPECT_EQ(spoken_minutes(290), "five minutes");
  EXPECT_EQ(spoken_minutes(50), "a minute");
  EXPECT_EQ(spoken_minutes(15 * 60), "15 minutes");
  // FNV-1a of "a": a fixed value, so lead-ins never change between builds.
  EXPECT_EQ(stable_hash("a"), 0xaf63dc4c8601ec8cull);
}
