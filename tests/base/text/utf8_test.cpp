#include "base/text/utf8.hpp"

#include <gtest/gtest.h>

using sof::text::invalid_utf8_at;
using sof::text::valid_utf8;

TEST(utf8, accepts_every_length_of_sequence) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa4"));  // é € 🎤
  EXPECT_TRUE(valid_utf8("\xf4\x8f\xbf\xbf"));                            // U+10FFFF
}

TEST(utf8, names_the_first_bad_byte) {
  EXPECT_EQ(invalid_utf8_at("ok \xff tail"), 3u);           // never a lead byte
  EXPECT_EQ(invalid_utf8_at("ab\x80"), 2u);                 // stray continuation
  EXPECT_EQ(invalid_utf8_at("caf\xc3"), 3u);                // truncated at the end
  EXPECT_EQ(invalid_utf8_at("\xe2\x82" "x"), 0u);           // truncated inside
  EXPECT_EQ(invalid_utf8_at("\xc0\xaf"), 0u);               // overlong '/'
  EXPECT_EQ(invalid_utf8_at("\xe0\x80\xaf"), 0u);           // overlong, 3 bytes
  EXPECT_EQ(invalid_utf8_at("\xf0\x80\x80\xaf"), 0u);       // overlong, 4 bytes
  EXPECT_EQ(invalid_utf8_at("x\xed\xa0\x80"), 1u);          // a surrogate
  EXPECT_EQ(invalid_utf8_at("\xf4\x90\x80\x80"), 0u);       // past U+10FFFF
}
