#include "actors/voice/speech_text.hpp"

#include <gtest/gtest.h>

using namespace sof::voice;

TEST(speech_text, splits_at_sentence_ends) {
  auto p = split_for_speech("How do you shard it?  What about hot keys! Fine.", 1000);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ((*p)[0], "How do you shard it?");
  EXPECT_EQ((*p)[1], "What about hot keys!");
  EXPECT_EQ((*p)[2], "Fine.");
}

TEST(speech_text, keeps_decimals_and_abbreviations_without_a_space_together) {
  auto p = split_for_speech("Use v1.2 of the API", 1000);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 1u);
}

TEST(speech_text, cuts_long_sentences_at_clauses_then_spaces) {
  std::string s;
  for (int i = 0; i < 60; ++i)
    s += "word" + std::to_string(i) + (i % 10 == 9 ? ", " : " ");
  auto p = split_for_speech(s, 10000, 100);
  ASSERT_TRUE(p);
  EXPECT_GT(p->size(), 3u);
  std::string joined;
  for (const auto& piece : *p) {
    EXPECT_LE(piece.size(), 100u);
    joined += piece + " ";
  }
  std::erase(joined, ',');
  for (int i = 0; i < 60; ++i)
    EXPECT_NE(joined.find("word" + std::to_string(i) + " "), std::string::npos)
      << "lost word" << i;
}

TEST(speech_text, refuses_what_cannot_be_spoken) {
  EXPECT_FALSE(split_for_speech("", 100));
  EXPECT_FALSE(split_for_speech(" \t\n ", 100));
  EXPECT_FALSE(split_for_speech(std::string(101, 'a'), 100));
  EXPECT_FALSE(split_for_speech("bad \xff\xfe utf8", 100));
}

TEST(speech_text, control_characters_become_spaces) {
  auto p = split_for_speech("one\ttwo\nthree\x01", 100);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at(0), "one two three");
}

TEST(speech_text, split_at_fraction_divides_words) {
  auto [a, b] = split_at_fraction("one two three four", 0.5);
  EXPECT_EQ(a, "one two");
  EXPECT_EQ(b, "three four");
  EXPECT_EQ(split_at_fraction("one two", 0.0).first, "");
  EXPECT_EQ(split_at_fraction("one two", 1.0).second, "");
}
