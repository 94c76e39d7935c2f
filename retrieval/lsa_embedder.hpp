#pragma once
// The built-in embedder: learned from the corpus at build time, no model
// download. TF-IDF over stemmed words and word bigrams, projected onto the
// corpus's top-k latent semantic directions (truncated SVD, i.e. LSA).
//
// Why LSA and not feature hashing: a hashed TF-IDF vector is only a lossy
// copy of the sparse vector BM25 already scores, so it cannot add recall.
// The SVD projection places words that occur in the same contexts
// ("failover", "redundancy", "standby") close together, which is what lets
// the dense side find passages that share meaning but not words with a
// query, the case BM25 misses. The SVD is randomised (Halko et al. 2011):
// a few sparse passes and one small eigenproblem, so it stays linear in the
// corpus size.
#include "retrieval/embedder.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sof::retrieval {

struct lsa_options {
  std::size_t dims = 256;
  std::size_t max_features = 40000;  // most frequent unigrams + bigrams
  std::size_t min_df = 2;            // lowered to 1 for tiny corpora
  int power_iterations = 2;          // subspace iterations of the random SVD
  float sigma_power = 0.5f;          // dimension weight sigma^p (p=1: classic LSA)
  std::uint64_t seed = 0x5ca1e0f;    // builds are reproducible
};

class lsa_embedder final : public embedder {
 public:
  /// Learns vocabulary, IDF and projection from tokenised documents.
  static caf::expected<std::unique_ptr<lsa_embedder>>
  fit(const std::vector<std::vector<std::string>>& docs, const lsa_options& opts = {});

  static caf::expected<std::unique_ptr<lsa_embedder>> load(const std::filesystem::path& file);
  caf::error save(const std::filesystem::path& file) const;

  std::size_t dims() const override { return dims_; }
  std::string kind() const override { return "lsa"; }
  caf::expected<std::vector<float>> embed(const std::vector<std::string>& texts) const override;

  /// Embeds already tokenised text into `out` (dims() floats, unit length or 0).
  void embed_tokens(const std::vector<std::string>& tokens, float* out) const;

  std::size_t vocabulary_size() const { return terms_.size(); }

 private:
  lsa_embedder() = default;
  // Sparse TF-IDF (feature id, weight), L2-normalised.
  std::vector<std::pair<std::uint32_t, float>>
  tfidf(const std::vector<std::string>& tokens) const;

  std::size_t dims_ = 0;
  std::vector<std::string> terms_;
  std::unordered_map<std::string, std::uint32_t> vocab_;
  std::vector<float> idf_;
  std::vector<float> proj_;  // terms x dims, row-major: one row per feature
};

}  // namespace sof::retrieval
