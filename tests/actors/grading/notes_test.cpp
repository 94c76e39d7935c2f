// Notes are read as statements, each in the context of its heading, with
// shorthand spelled out; prose is left alone.
#include "actors/grading/notes.hpp"
#include "actors/grading/sentences.hpp"

#include <gtest/gtest.h>

using namespace sof::grading;

namespace {
const char* notes = "## Failures\n"
                    "- Redis down -> fail open w/ local buckets\n"
                    "- Retry w/ backoff\n"
                    "\n"
                    "**Trade-offs**\n"
                    "1. Token bucket vs fixed window: bursts\n"
                    "```\nSET key 1\n```\n"
                    "| Algo | + |\n|---|---|\n| Sliding log | exact |\n";
}

TEST(grading_notes, recognises_notes_and_prose) {
  EXPECT_TRUE(looks_like_notes(notes));
  EXPECT_FALSE(looks_like_notes("We shard by user id. If a node fails, a replica takes over."));
  EXPECT_FALSE(looks_like_notes("- one bullet alone\nand prose after it"));
  EXPECT_FALSE(looks_like_notes(""));
}

TEST(grading_notes, statements_carry_their_heading_and_spelled_out_shorthand) {
  auto s = notes_statements(notes);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0], "Failures: Redis down so fail open with local buckets.");
  EXPECT_EQ(s[1], "Failures: Retry with backoff.");
  EXPECT_EQ(s[2], "Trade-offs: Token bucket versus fixed window: bursts.");
  // The code fence is skipped; a table row becomes its cells, the rule goes.
  EXPECT_EQ(s[3], "Trade-offs: Algo , + ,.");
  EXPECT_EQ(s[4], "Trade-offs: Sliding log , exact ,.");
}

TEST(grading_notes, prose_lines_come_back_unchanged) {
  auto s = notes_statements("We shard by user id.\n\nA replica takes over.");
  EXPECT_EQ(s, (std::vector<std::string>{"We shard by user id.", "A replica takes over."}));
}

TEST(grading_notes, transcript_reads_one_line_per_bullet) {
  auto lines = transcript_from_text(notes);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].text, "Failures: Redis down so fail open with local buckets.");
  for (std::size_t i = 1; i < lines.size(); ++i)
    EXPECT_GT(lines[i].start_ms, lines[i - 1].end_ms);
  // The old reading runs the bullets together.
  EXPECT_LT(transcript_from_text(notes, 150, 300, false).size(), lines.size());
}
