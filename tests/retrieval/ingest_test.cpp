#include "retrieval/ingest.hpp"

#include "actors/common/errors.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sof::retrieval;
using sof::retrieval::test::make_pdf;
using sof::retrieval::test::temp_dir;
using sof::retrieval::test::write_file;

namespace {

const passage* find_source(const ingest_result& r, const std::string& source) {
  auto it = std::find_if(r.passages.begin(), r.passages.end(),
                         [&](const passage& p) { return p.source == source; });
  return it == r.passages.end() ? nullptr : &*it;
}

}  // namespace

TEST(ingest, reads_markdown_text_and_pdf_recursively_with_attribution) {
  temp_dir corpus;
  write_file(corpus / "primer/SOURCE.txt",
             "Source: https://example.org/primer\n"
             "License: CC BY 4.0 (see LICENSE.txt), Copyright 2017 Jane Doe\n"
             "  ch.html -> guide.md   \"The Guide\" (Vol 1), Jane Doe\n");
  write_file(corpus / "primer/LICENSE.txt", "Creative Commons Attribution 4.0\n");
  write_file(corpus / "primer/guide.md",
             "# Book Title\n\n## Caching\n\nA cache keeps hot data in memory so reads avoid the "
             "database and return much faster.\n");
  write_file(corpus / "primer/deeper/notes.txt",
             "Plain text notes about queues.\n\nQueues decouple producers from consumers so "
             "slow work happens asynchronously.\n");
  write_file(corpus / "papers/paper.pdf",
             make_pdf("Consistent hashing spreads keys over nodes so adding a node moves few keys"));
  write_file(corpus / "primer/ignored.png", "not indexed");

  auto r = ingest({corpus.path()});
  ASSERT_TRUE(r) << sof::describe(r.error());
  EXPECT_EQ(r->files_indexed, 3u);
  EXPECT_EQ(r->files_skipped, 0u);

  auto md = find_source(*r, "primer/guide.md");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(md->title, "The Guide");  // per-file title from SOURCE.txt
  EXPECT_EQ(md->heading, "Caching");
  EXPECT_NE(md->attribution.find("Jane Doe"), std::string::npos);
  EXPECT_NE(md->attribution.find("CC BY 4.0"), std::string::npos);
  EXPECT_NE(md->attribution.find("https://example.org/primer"), std::string::npos);

  auto txt = find_source(*r, "primer/deeper/notes.txt");
  ASSERT_NE(txt, nullptr);  // found recursively, attributed from the parent folder
  EXPECT_NE(txt->attribution.find("CC BY 4.0"), std::string::npos);

  auto pdf = find_source(*r, "papers/paper.pdf");
  ASSERT_NE(pdf, nullptr);
  EXPECT_NE(pdf->text.find("Consistent hashing"), std::string::npos);
  EXPECT_EQ(pdf->heading, "page 1");
  EXPECT_EQ(pdf->title, "paper");
  EXPECT_TRUE(pdf->attribution.empty());

  // Metadata files are attribution, not content.
  for (const auto& p : r->passages)
    EXPECT_EQ(p.source.find("SOURCE"), std::string::npos);
}

TEST(ingest, corrupt_and_unreadable_files_are_skipped_and_counted) {
  temp_dir corpus;
  write_file(corpus / "good.md", "## Good\n\nThis passage is perfectly readable and long enough to index.\n");
  write_file(corpus / "broken.pdf", "%PDF-1.4\nthis is not really a pdf at all\n");
  write_file(corpus / "binary.txt", std::string("abc\0def\0", 8));
  std::filesystem::create_symlink(corpus / "missing-target.md", corpus / "dangling.md");

  auto r = ingest({corpus.path()});
  ASSERT_TRUE(r) << sof::describe(r.error());
  EXPECT_EQ(r->files_indexed, 1u);
  EXPECT_EQ(r->files_skipped, 3u);
  ASSERT_EQ(r->warnings.size(), 3u);
  std::vector<std::string> skipped;
  for (const auto& w : r->warnings) {
    skipped.push_back(w.file);
    EXPECT_FALSE(w.reason.empty());
  }
  std::sort(skipped.begin(), skipped.end());
  EXPECT_EQ(skipped, (std::vector<std::string>{"binary.txt", "broken.pdf", "dangling.md"}));
}

TEST(ingest, empty_corpus_is_a_clear_error) {
  temp_dir corpus;
  write_file(corpus / "README.png", "x");
  auto r = ingest({corpus.path()});
  ASSERT_FALSE(r);
  EXPECT_NE(sof::describe(r.error()).find("empty corpus"), std::string::npos);

  write_file(corpus / "blank.md", "\n\n   \n");
  r = ingest({corpus.path()});
  ASSERT_FALSE(r);
  EXPECT_NE(sof::describe(r.error()).find("empty corpus"), std::string::npos);

  auto missing = ingest({corpus / "does-not-exist"});
  ASSERT_FALSE(missing);
  EXPECT_NE(sof::describe(missing.error()).find("does not exist"), std::string::npos);
}

TEST(ingest, several_corpora_keep_sources_apart) {
  temp_dir a, b;
  write_file(a / "x.md", "## A\n\nThe first corpus talks about sharding and partitions of data.\n");
  write_file(b / "x.md", "## B\n\nThe second corpus talks about replication and failover of data.\n");
  auto r = ingest({a.path(), b.path()});
  ASSERT_TRUE(r) << sof::describe(r.error());
  ASSERT_EQ(r->passages.size(), 2u);
  EXPECT_NE(r->passages[0].source, r->passages[1].source);
}

TEST(ingest, pdf_reader_reports_corrupt_files) {
  temp_dir dir;
  write_file(dir / "bad.pdf", "garbage");
  auto text = read_pdf_text(dir / "bad.pdf");
  ASSERT_FALSE(text);
  write_file(dir / "good.pdf", make_pdf("Hello PDF world"));
  auto good = read_pdf_text(dir / "good.pdf");
  ASSERT_TRUE(good) << sof::describe(good.error());
  EXPECT_NE(good->find("Hello PDF world"), std::string::npos);
}
