#include "retrieval/index_store.hpp"

#include "actors/common/errors.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/lsa_embedder.hpp"
#include "retrieval/retriever.hpp"
#include "retrieval/text.hpp"
#include "retrieval/vector_index.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace sof::retrieval;
using sof::retrieval::test::temp_dir;
using sof::retrieval::test::write_file;

namespace {

void small_corpus(const temp_dir& dir) {
  write_file(dir / "c/SOURCE.txt", "Source: https://example.org\nLicense: CC0\n");
  write_file(dir / "c/a.md",
             "# Notes\n\n## Sharding\n\nSharding splits rows across databases by a key so each "
             "shard holds a subset of users.\n\n## Caching\n\nA cache keeps hot objects in "
             "memory; cache-aside loads entries lazily on a miss.\n\n## Failover\n\nActive-"
             "passive failover keeps a standby that takes over when heartbeats stop.\n");
  write_file(dir / "c/b.txt",
             "Message queues let web servers hand slow jobs to workers.\n\nBack pressure "
             "limits the queue size and rejects requests when workers fall behind.\n");
}

build_options small_opts(const temp_dir& dir) {
  build_options o;
  o.corpus_dirs = {dir / "c"};
  o.index_dir = dir / "index";
  o.progress = false;
  return o;
}

}  // namespace

TEST(index_store, round_trip_preserves_passages_and_results) {
  temp_dir dir;
  small_corpus(dir);
  auto built = build_index(small_opts(dir));
  ASSERT_TRUE(built) << sof::describe(built.error());
  EXPECT_EQ(built->manifest.files_indexed, 2u);
  EXPECT_EQ(built->manifest.index_kind, "flat");

  auto kb = retriever::open(dir / "index");
  ASSERT_TRUE(kb) << sof::describe(kb.error());
  EXPECT_EQ((*kb)->size(), built->manifest.passages);
  EXPECT_EQ((*kb)->manifest().format_version, index_format_version);
  EXPECT_EQ((*kb)->manifest().embedder, "lsa");
  EXPECT_FALSE(std::filesystem::exists(dir / "index.building"));

  auto again = retriever::open(dir / "index");
  ASSERT_TRUE(again);
  for (auto mode : {search_mode::dense, search_mode::bm25, search_mode::hybrid}) {
    auto h1 = (*kb)->search("standby takes over when the primary fails", 3, mode);
    auto h2 = (*again)->search("standby takes over when the primary fails", 3, mode);
    ASSERT_TRUE(h1 && h2);
    ASSERT_FALSE(h1->empty()) << to_string(mode);
    ASSERT_EQ(h1->size(), h2->size());
    for (std::size_t i = 0; i < h1->size(); ++i) {
      EXPECT_EQ((*h1)[i].id, (*h2)[i].id);
      EXPECT_FLOAT_EQ((*h1)[i].score, (*h2)[i].score);
    }
    EXPECT_EQ((*h1)[0].doc.heading, "Failover") << to_string(mode);
    EXPECT_EQ((*h1)[0].doc.attribution, "Notes \xE2\x80\x94 CC0 \xE2\x80\x94 https://example.org");
  }
}

TEST(index_store, rebuild_replaces_the_old_index) {
  temp_dir dir;
  small_corpus(dir);
  ASSERT_TRUE(build_index(small_opts(dir)));
  write_file(dir / "c/extra.md", "## Gossip\n\nNodes gossip membership and failure information to random peers.\n");
  auto rebuilt = build_index(small_opts(dir));
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(rebuilt->manifest.files_indexed, 3u);
  auto kb = retriever::open(dir / "index");
  ASSERT_TRUE(kb);
  auto hits = (*kb)->search("gossip", 1, search_mode::bm25);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc.source, "extra.md");
}

TEST(index_store, corrupt_file_gives_error_with_rebuild_command) {
  temp_dir dir;
  small_corpus(dir);
  ASSERT_TRUE(build_index(small_opts(dir)));
  {
    std::fstream f(dir / "index/vectors.faiss", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
  }
  auto kb = retriever::open(dir / "index");
  ASSERT_FALSE(kb);
  auto msg = sof::describe(kb.error());
  EXPECT_NE(msg.find("checksum"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sof kb build --index " + (dir / "index").string()), std::string::npos) << msg;
}

TEST(index_store, format_version_mismatch_is_reported) {
  temp_dir dir;
  small_corpus(dir);
  ASSERT_TRUE(build_index(small_opts(dir)));
  auto path = dir / "index/manifest.json";
  nlohmann::json j;
  std::ifstream(path) >> j;
  j["format_version"] = index_format_version + 1;
  std::ofstream(path) << j.dump();
  auto kb = retriever::open(dir / "index");
  ASSERT_FALSE(kb);
  auto msg = sof::describe(kb.error());
  EXPECT_NE(msg.find("format version " + std::to_string(index_format_version + 1)),
            std::string::npos) << msg;
  EXPECT_NE(msg.find("sof kb build"), std::string::npos);

  std::ofstream(path) << "{ not json";
  kb = retriever::open(dir / "index");
  ASSERT_FALSE(kb);
  EXPECT_NE(sof::describe(kb.error()).find("sof kb build"), std::string::npos);
}

TEST(index_store, an_older_sofs_index_is_rebuilt_from_its_recorded_corpus) {
  temp_dir dir;
  small_corpus(dir);
  auto built = build_index(small_opts(dir));
  ASSERT_TRUE(built);
  auto path = dir / "index/manifest.json";
  nlohmann::json j;
  std::ifstream(path) >> j;
  j["format_version"] = index_format_version - 1;
  std::ofstream(path) << j.dump();

  auto old = retriever::open(dir / "index");
  ASSERT_FALSE(old);
  EXPECT_EQ(static_cast<sof::errc>(old.error().code()), sof::errc::unsupported);
  EXPECT_NE(sof::describe(old.error()).find("older than this sof's"), std::string::npos);

  auto kb = open_or_build((dir / "index").string());
  ASSERT_TRUE(kb) << sof::describe(kb.error());
  EXPECT_EQ((*kb)->manifest().format_version, index_format_version);
  EXPECT_EQ((*kb)->manifest().passages, built->manifest.passages);

  // Without its corpus an old index is not guessed at: the error says how.
  j["format_version"] = index_format_version - 1;
  j["corpus"] = {(dir / "gone").string()};
  std::ofstream(path) << j.dump();
  auto orphan = open_or_build((dir / "index").string());
  ASSERT_FALSE(orphan);
  EXPECT_NE(sof::describe(orphan.error()).find("sof kb build"), std::string::npos);
}

TEST(index_store, missing_index_says_how_to_build_one) {
  temp_dir dir;
  auto kb = retriever::open(dir / "nothing-here");
  ASSERT_FALSE(kb);
  EXPECT_NE(sof::describe(kb.error()).find("sof kb build"), std::string::npos);
}

TEST(lsa_embedder, save_load_round_trip_and_unit_vectors) {
  std::vector<std::vector<std::string>> docs = {
    tokenize("load balancers spread requests across web servers"),
    tokenize("a cache keeps hot data in memory"),
    tokenize("replication copies data to standby servers"),
    tokenize("load balancers detect unhealthy servers with health checks")};
  auto emb = lsa_embedder::fit(docs, {});
  ASSERT_TRUE(emb) << sof::describe(emb.error());
  temp_dir dir;
  ASSERT_FALSE((*emb)->save(dir / "e.bin"));
  auto loaded = lsa_embedder::load(dir / "e.bin");
  ASSERT_TRUE(loaded) << sof::describe(loaded.error());
  auto a = (*emb)->embed({"load balancer health"});
  auto b = (*loaded)->embed({"load balancer health"});
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  double norm = 0;
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_FLOAT_EQ((*a)[i], (*b)[i]);
    norm += (*a)[i] * (*a)[i];
  }
  EXPECT_NEAR(norm, 1.0, 1e-4);
  auto none = (*emb)->embed({"zebra xylophone"});  // unknown words: zero vector
  ASSERT_TRUE(none);
  for (float x : *none)
    EXPECT_EQ(x, 0.f);

  write_file(dir / "bad.bin", "SOFLSA01 truncated");
  EXPECT_FALSE(lsa_embedder::load(dir / "bad.bin"));
}

TEST(vector_index, every_kind_finds_the_nearest_vector) {
  const std::size_t n = 2000, d = 32;
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  std::vector<float> v(n * d);
  for (auto& x : v)
    x = g(rng);
  l2_normalize_rows(v, d);
  for (auto kind : {index_kind::flat, index_kind::hnsw, index_kind::ivf}) {
    auto idx = vector_index::build(v, d, kind);
    ASSERT_TRUE(idx) << to_string(kind);
    EXPECT_EQ(idx->kind(), kind);
    temp_dir dir;
    ASSERT_FALSE(idx->save(dir / "v.faiss"));
    auto loaded = vector_index::load(dir / "v.faiss");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->kind(), kind);
    for (std::uint32_t q : {0u, 500u, 1999u}) {
      auto r = loaded->search(v.data() + q * d, 1);
      ASSERT_EQ(r.size(), 1u);
      EXPECT_EQ(r[0].id, q) << to_string(kind);
      EXPECT_NEAR(r[0].score, 1.f, 1e-4);
      std::vector<float> back(d);
      loaded->reconstruct(q, back.data());
      EXPECT_FLOAT_EQ(back[3], v[q * d + 3]);
    }
  }
  EXPECT_EQ(choose_index_kind(1000), index_kind::flat);
  EXPECT_EQ(choose_index_kind(1'000'000), index_kind::hnsw);
  EXPECT_EQ(choose_index_kind(10'000'000), index_kind::ivf);
}
