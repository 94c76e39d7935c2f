#include "retrieval/ingest.hpp"
#include "retrieval/text.hpp"
#include "base/text/words.hpp"

#include <gtest/gtest.h>

using namespace sof::retrieval;

TEST(text, tokenize_lowercases_and_drops_stopwords) {
  auto t = tokenize("The Load Balancer is a single point of failure!");
  std::vector<std::string> expected = {"load", "balanc", "singl", "point", "failur"};
  ASSERT_EQ(t.size(), expected.size());
  EXPECT_EQ(t[0], "load");
  EXPECT_EQ(t[3], "point");
  for (const auto& w : t)
    EXPECT_FALSE(sof::text::is_stopword(w)) << w;
}

TEST(text, strip_inline_markup_keeps_link_text_only) {
  EXPECT_EQ(strip_inline_markup("See [active-passive](#active-passive) mode"),
            "See active-passive mode");
  EXPECT_EQ(strip_inline_markup("![diagram](images/x.png)**Bold** `code`"), "Bold code");
  EXPECT_EQ(strip_inline_markup("<p align=\"center\">text</p>"), "text");
  EXPECT_EQ(strip_inline_markup("a < b and c > d"), "a < b and c > d");
}

TEST(text, sanitize_utf8_replaces_invalid_bytes) {
  EXPECT_EQ(sanitize_utf8("ok \xE2\x80\x94 fine"), "ok \xE2\x80\x94 fine");
  EXPECT_EQ(sanitize_utf8("bad \xFF\xFE end"), "bad ?? end");
  EXPECT_EQ(sanitize_utf8("cut \xE2\x80"), "cut ??");
}

TEST(text, count_words_and_squash) {
  EXPECT_EQ(count_words("  one two\n three "), 3u);
  EXPECT_EQ(squash_whitespace("  a \n\t b  "), "a b");
}
