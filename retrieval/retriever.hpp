#pragma once
// The read side of the knowledge base: open a built index, search it.
//
//   auto kb = sof::retrieval::retriever::open(sof::retrieval::default_index_dir());
//   if (!kb) { /* sof::describe(kb.error()) says what is wrong and how to rebuild */ }
//   auto hits = (*kb)->search("how do I avoid a single point of failure", 5);
//
// Thread safety: a retriever is immutable once open() returns; search() is
// const and may be called from any number of threads at once (the FAISS
// search, the BM25 postings and the LSA projection are only read). Share
// one std::shared_ptr<const retriever> between all sessions; the retrieval
// actor is a thin shell around search().
//
// Errors (caf::error with sof::errc):
//   open():   not_found (no index; the message names `sof kb build`),
//             corrupt_data (version mismatch, checksum, unreadable file;
//             the message names the rebuild command), io_error.
//   search(): invalid_argument for an empty query or k == 0;
//             provider_failed when a remote embedder cannot be reached.
// A query longer than max_query_bytes is cut (at a word boundary), not
// refused; k above max_k is clamped. A query with no known word returns an
// empty result list, not an error.
#include "retrieval/embedder.hpp"
#include "retrieval/index_store.hpp"
#include "retrieval/passage.hpp"
#include "retrieval/vector_index.hpp"

#include <caf/expected.hpp>

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

namespace sof::retrieval {

class bm25;

enum class search_mode : std::uint8_t { hybrid, dense, bm25 };

const char* to_string(search_mode m);
caf::expected<search_mode> parse_search_mode(std::string_view s);

struct search_options {
  std::size_t k = 5;
  search_mode mode = search_mode::hybrid;
  /// Weight of the dense score in the hybrid (1 - alpha goes to BM25);
  /// chosen on the labelled set, see docs/BENCHMARKS.md.
  float alpha = 0.5f;
};

class retriever {
 public:
  static constexpr std::size_t max_k = 100;
  static constexpr std::size_t max_query_bytes = 2048;

  /// Loads and validates the index in `index_dir`.
  static caf::expected<std::shared_ptr<const retriever>> open(const std::filesystem::path& index_dir);

  caf::expected<std::vector<hit>> search(std::string_view query, std::size_t k = 5,
                                         search_mode mode = search_mode::hybrid) const;
  caf::expected<std::vector<hit>> search(std::string_view query, const search_options& opts) const;

  /// Dense-only batch search (one embedding + one FAISS call for all
  /// queries); used by benchmarks to show what BLAS buys.
  caf::expected<std::vector<std::vector<hit>>> search_dense_batch(
    const std::vector<std::string>& queries, std::size_t k) const;

  std::size_t size() const { return passages_.size(); }
  const index_manifest& manifest() const { return manifest_; }
  const std::vector<passage>& passages() const { return passages_; }
  const std::filesystem::path& directory() const { return dir_; }
  /// The embedder queries go through (the one the index was built with);
  /// the rubric engine reuses it to compare transcript sentences with
  /// rubric phrasings in the same semantic space as the knowledge base.
  const embedder& query_embedder() const { return *embedder_; }
  /// How specific a (tokenized) term is across the knowledge base: its
  /// BM25 idf. "cache" is everywhere, "seat" and "geohash" are not.
  float idf(const std::string& term) const;

  ~retriever();

 private:
  retriever();
  caf::expected<std::vector<float>> embed_query(std::string_view query,
                                                const std::vector<std::string>& tokens) const;
  hit make_hit(std::uint32_t id, float score) const;

  std::filesystem::path dir_;
  index_manifest manifest_;
  std::vector<passage> passages_;
  std::unique_ptr<embedder> embedder_;
  std::unique_ptr<vector_index> vectors_;
  std::unique_ptr<bm25> bm25_;
};

/// The text of a passage that is embedded and keyword-indexed: title and
/// heading path are context that the body alone often lacks.
std::string indexed_text(const passage& p);

/// Cuts `query` to at most `max_bytes` at a word boundary.
std::string_view clamp_query(std::string_view query, std::size_t max_bytes);

}  // namespace sof::retrieval
