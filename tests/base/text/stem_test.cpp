#include "base/text/stem.hpp"

#include <gtest/gtest.h>

#include <thread>

using sof::text::stem;

TEST(stem, inflections_of_a_domain_word_meet) {
  EXPECT_EQ(stem("replicas"), stem("replica"));
  EXPECT_EQ(stem("replicated"), stem("replication"));
  EXPECT_EQ(stem("scaling"), stem("scaled"));
  EXPECT_EQ(stem("scaling"), stem("scale"));
  EXPECT_EQ(stem("consistency"), stem("consistencies"));
  EXPECT_EQ(stem("partitions"), stem("partitioning"));
  EXPECT_EQ(stem("caching"), stem("cache"));
  EXPECT_EQ(stem("seats"), "seat");
}

TEST(stem, different_words_stay_apart) {
  EXPECT_NE(stem("cache"), stem("cash"));
  EXPECT_NE(stem("shard"), stem("share"));
  EXPECT_NE(stem("hold"), stem("holiday"));
}

TEST(stem, short_words_and_empty_input_are_kept) {
  EXPECT_EQ(stem(""), "");
  EXPECT_EQ(stem("db"), "db");
  EXPECT_EQ(stem("s3"), "s3");
}

TEST(stem, each_thread_has_its_own_stemmer) {
  // libstemmer's stemmers keep their buffer inside; shared across threads
  // the results would interleave.
  std::string a, b;
  std::thread t1([&] { for (int i = 0; i < 2000; ++i) a = stem("replications"); });
  std::thread t2([&] { for (int i = 0; i < 2000; ++i) b = stem("partitioning"); });
  t1.join();
  t2.join();
  EXPECT_EQ(a, stem("replications"));
  EXPECT_EQ(b, stem("partitioning"));
}
