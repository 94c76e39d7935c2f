#include "actors/grading/sentences.hpp"

#include <gtest/gtest.h>

using namespace sof::grading;

TEST(grading_sentences, splits_at_terminators_and_interpolates_times) {
  std::vector<transcript_line> lines = {
    {0, 10000, "First we clarify the scope. Then we estimate traffic! Is it read heavy?"}};
  auto s = split_sentences(lines);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].text, "First we clarify the scope.");
  EXPECT_EQ(s[1].text, "Then we estimate traffic!");
  EXPECT_EQ(s[2].text, "Is it read heavy?");
  EXPECT_EQ(s[0].start_ms, 0);
  // 13 words over 10 s: the second sentence starts after 5 words.
  EXPECT_NEAR(static_cast<double>(s[1].start_ms), 5 * 10000.0 / 13, 1.0);
  EXPECT_EQ(s[2].end_ms, 10000);
  EXPECT_LE(s[0].end_ms, s[1].start_ms);
}

TEST(grading_sentences, decimal_points_do_not_split) {
  auto s = split_sentences({{0, 1000, "Latency is 2.5 ms at p99. Good."}});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "Latency is 2.5 ms at p99.");
}

TEST(grading_sentences, run_on_speech_without_punctuation_is_cut) {
  std::string run_on;
  for (int i = 0; i < 80; ++i)
    run_on += "word" + std::to_string(i) + " ";
  auto s = split_sentences({{0, 32000, run_on}});
  ASSERT_GE(s.size(), 2u);
  std::size_t total = 0;
  for (const auto& x : s) {
    EXPECT_LE(x.words, max_sentence_words + max_sentence_words / 4);
    total += x.words;
  }
  EXPECT_EQ(total, 80u);
  EXPECT_EQ(s.back().end_ms, 32000);
}

TEST(grading_sentences, empty_lines_give_nothing) {
  EXPECT_TRUE(split_sentences({{0, 0, ""}, {0, 100, "  ...  "}}).empty());
  EXPECT_TRUE(split_sentences({}).empty());
}

TEST(grading_sentences, explanation_beats_buzzword_list) {
  const double list = explanation_factor("kafka redis sharding cdn load balancer microservices");
  const double prose = explanation_factor(
    "We shard the seat table by event so that one hot concert does not lock the others.");
  EXPECT_LT(list, 0.35);
  EXPECT_GT(prose, 0.9);
  EXPECT_LT(explanation_factor("Redis."), explanation_factor("We cache hot keys in Redis because reads dominate."));
}

TEST(grading_sentences, finds_structure_markers) {
  auto m = structure_markers(
    "First, requirements. Then the design. The trade-off is latency. To recap, we shard.");
  EXPECT_EQ(m, (std::vector<std::string>{"first", "summary", "then", "trade-off"}));
  EXPECT_TRUE(structure_markers("cache cache cache").empty());
}

TEST(grading_sentences, transcript_from_text_runs_at_the_given_pace) {
  auto t = transcript_from_text("One two three four five. Six seven eight nine ten.", 150, 300);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].start_ms, 0);
  EXPECT_EQ(t[0].end_ms, 2000);  // 5 words at 150 wpm
  EXPECT_EQ(t[1].start_ms, 2300);
  EXPECT_EQ(t[1].end_ms, 4300);
}
