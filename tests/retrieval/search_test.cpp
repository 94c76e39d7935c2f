#include "retrieval/retriever.hpp"

#include "actors/common/errors.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace sof::retrieval;
using sof::retrieval::test::shipped_kb;

TEST(search, single_point_of_failure_query_finds_load_balancer_redundancy) {
  const auto& kb = shipped_kb();
  auto hits = kb.search("how do I avoid a single point of failure in the load balancer", 5);
  ASSERT_TRUE(hits) << sof::describe(hits.error());
  ASSERT_EQ(hits->size(), 5u);
  bool found = false;
  for (const auto& h : *hits) {
    EXPECT_FALSE(h.doc.text.empty());
    EXPECT_FALSE(h.doc.source.empty());
    EXPECT_FALSE(h.doc.attribution.empty()) << h.doc.source;
    if (h.doc.source == "system-design-primer/README.md" &&
        h.doc.heading.find("load balancer") != std::string::npos) {
      found = true;
      EXPECT_NE(h.doc.attribution.find("CC BY 4.0"), std::string::npos);
      EXPECT_NE(h.doc.attribution.find("Donne Martin"), std::string::npos);
      EXPECT_NE(h.doc.attribution.find("The System Design Primer"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
  for (std::size_t i = 1; i < hits->size(); ++i)
    EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
}

TEST(search, aosabook_passages_carry_chapter_authors) {
  auto hits = shipped_kb().search("nginx worker processes event loop", 3);
  ASSERT_TRUE(hits);
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((*hits)[0].doc.source, "aosabook/nginx.md");
  EXPECT_EQ((*hits)[0].doc.title, "nginx");
  EXPECT_NE((*hits)[0].doc.attribution.find("Andrew Alexeev"), std::string::npos);
  EXPECT_NE((*hits)[0].doc.attribution.find("CC BY 3.0"), std::string::npos);
}

TEST(search, empty_or_blank_query_is_an_error) {
  for (const char* q : {"", "   ", "\n\t"}) {
    auto hits = shipped_kb().search(q, 5);
    ASSERT_FALSE(hits) << "'" << q << "'";
    EXPECT_NE(sof::describe(hits.error()).find("empty query"), std::string::npos);
  }
  EXPECT_FALSE(shipped_kb().search("cache", 0));
}

TEST(search, absurdly_long_query_is_cut_and_stays_fast) {
  const auto& kb = shipped_kb();  // built before the clock starts
  std::string q;
  while (q.size() < 1'000'000)
    q += "replication failover sharding caching consistency ";
  auto start = std::chrono::steady_clock::now();
  auto hits = kb.search(q, 5);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(hits) << sof::describe(hits.error());
  EXPECT_EQ(hits->size(), 5u);
  EXPECT_LT(ms, 50.0);
  EXPECT_LE(clamp_query(q, retriever::max_query_bytes).size(), retriever::max_query_bytes);
}

TEST(search, unknown_words_give_no_results_not_an_error) {
  for (auto mode : {search_mode::hybrid, search_mode::dense, search_mode::bm25}) {
    auto hits = shipped_kb().search("qwxzv zzyzx", 5, mode);
    ASSERT_TRUE(hits) << to_string(mode);
    EXPECT_TRUE(hits->empty()) << to_string(mode);
  }
}

TEST(search, k_is_clamped) {
  auto hits = shipped_kb().search("database", 100000);
  ASSERT_TRUE(hits);
  EXPECT_EQ(hits->size(), retriever::max_k);
  auto one = shipped_kb().search("database", 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);
}

TEST(search, concurrent_searches_match_sequential_ones) {
  const auto& kb = shipped_kb();
  const std::vector<std::string> queries = {
    "consistent hashing", "write-behind cache", "HDFS block placement", "CAP theorem",
    "back pressure", "nginx workers", "read repair", "layer 7 load balancing"};
  std::vector<std::vector<std::uint32_t>> expected;
  for (const auto& q : queries) {
    auto hits = kb.search(q, 5);
    ASSERT_TRUE(hits);
    expected.emplace_back();
    for (const auto& h : *hits)
      expected.back().push_back(h.id);
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        std::size_t qi = (i + t) % queries.size();
        auto hits = kb.search(queries[qi], 5);
        std::vector<std::uint32_t> ids;
        if (hits)
          for (const auto& h : *hits)
            ids.push_back(h.id);
        if (ids != expected[qi])
          ++mismatches;
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(search, modes_parse_and_differ) {
  EXPECT_EQ(*parse_search_mode("bm25"), search_mode::bm25);
  EXPECT_FALSE(parse_search_mode("magic"));
  auto dense = shipped_kb().search("keep a hot spare that takes over when the main box goes down", 5,
                                   search_mode::dense);
  ASSERT_TRUE(dense);
  ASSERT_FALSE(dense->empty());
  EXPECT_LE((*dense)[0].score, 1.0001f);  // cosine
}
