#include "retrieval/chunker.hpp"
#include "retrieval/text.hpp"

#include <gtest/gtest.h>

using namespace sof::retrieval;

namespace {
std::string words(std::size_t n, const std::string& w = "word") {
  std::string s;
  for (std::size_t i = 0; i < n; ++i)
    s += w + std::to_string(i % 7) + (i % 12 == 11 ? ". " : " ");
  return s;
}
}  // namespace

TEST(chunker, keeps_heading_path_and_title) {
  document doc{"book/ch1.md", "", "CC BY", doc_format::markdown,
               "# My Book\n\nIntro paragraph with enough words to be kept as a passage here.\n\n"
               "## Load balancer\n\nLoad balancers distribute incoming client requests to servers and return the responses to clients.\n\n"
               "### Layer 7\n\nLayer 7 load balancers look at the application layer to route requests to specific servers.\n"};
  auto ps = chunk_document(doc);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].title, "My Book");
  EXPECT_EQ(ps[0].heading, "My Book");  // text before any section: the title
  EXPECT_EQ(ps[1].heading, "Load balancer");
  EXPECT_EQ(ps[2].heading, "Load balancer > Layer 7");
  EXPECT_EQ(ps[2].source, "book/ch1.md");
  EXPECT_EQ(ps[2].attribution, "CC BY");
  EXPECT_NE(ps[2].text.find("application layer"), std::string::npos);
}

TEST(chunker, sibling_heading_replaces_deeper_path) {
  document doc{"a.md", "T", "", doc_format::markdown,
               "## A\n### A1\nalpha one text that is long enough to keep here as a passage of its own\n"
               "## B\nbeta text that is long enough to keep as a passage of its own too\n"};
  auto ps = chunk_document(doc);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].heading, "A > A1");
  EXPECT_EQ(ps[1].heading, "B");
}

TEST(chunker, passages_respect_size_bounds) {
  chunk_options opts;
  std::string body = "## Big\n\n";
  for (int i = 0; i < 12; ++i)
    body += words(60) + "\n\n";
  body += words(900) + "\n";  // one huge paragraph: must be split at sentences
  auto ps = chunk_document({"x.md", "X", "", doc_format::markdown, body}, opts);
  ASSERT_GT(ps.size(), 5u);
  for (const auto& p : ps) {
    EXPECT_LE(count_words(p.text), opts.max_words) << p.text.substr(0, 80);
    EXPECT_GE(count_words(p.text), opts.min_words);
    EXPECT_EQ(p.heading, "Big");
  }
}

TEST(chunker, drops_link_lists_and_markup_but_keeps_code_fences_whole) {
  std::string body =
    "## Reading\n\n* [Wikipedia](https://en.wikipedia.org)\n* [Blog](https://x.y)\n\n"
    "## Code\n\nSome explanation of the snippet below that is long enough to be kept.\n\n"
    "```\n# not a heading\n\nstill code\n```\n";
  auto ps = chunk_document({"c.md", "C", "", doc_format::markdown, body});
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].heading, "Code");
  EXPECT_NE(ps[0].text.find("# not a heading"), std::string::npos);
  EXPECT_NE(ps[0].text.find("still code"), std::string::npos);
  EXPECT_EQ(ps[0].text.find("wikipedia"), std::string::npos);
}

TEST(chunker, pdf_pages_become_sections) {
  document doc{"d.pdf", "Doc", "", doc_format::pdf,
               "first page text about replication and failover here, long enough to be kept\fsecond page text "
               "about sharding and partitioning keys"};
  auto ps = chunk_document(doc);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].heading, "page 1");
  EXPECT_EQ(ps[1].heading, "page 2");
  EXPECT_EQ(ps[1].title, "Doc");
}

TEST(chunker, markdown_title_skips_code) {
  EXPECT_EQ(markdown_title("```\n# no\n```\n# Yes [it](x)\n"), "Yes it");
  EXPECT_EQ(markdown_title("no title"), "");
}

TEST(chunker, a_sentence_without_end_is_cut_between_words) {
  // 600 words and no full stop (found by fuzz_markdown: one passage of any
  // length); every word is kept, in order, in passages of at most max_words.
  std::string body = "# Notes\n\n";
  for (int i = 0; i < 600; ++i)
    body += "w" + std::to_string(i) + (i % 7 == 6 ? ",\n" : " ");
  chunk_options opts;
  auto ps = chunk_document(document{"notes.md", "", "", doc_format::markdown, body}, opts);
  ASSERT_GE(ps.size(), 3u);
  std::string all;
  for (const auto& p : ps) {
    EXPECT_LE(count_words(p.text), opts.max_words);
    all += p.text + " ";
  }
  EXPECT_EQ(count_words(all), 600u);
  EXPECT_EQ(all.find("w0 "), 0u);
  EXPECT_NE(all.find("w599"), std::string::npos);
  EXPECT_LT(all.find("w298"), all.find("w299"));
}
