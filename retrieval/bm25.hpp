#pragma once
// Okapi BM25 over the same terms the embedder sees. Built from the passages
// at load time (a few milliseconds for the shipped corpus), so it needs no
// file format of its own.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace sof::retrieval {

class bm25 {
 public:
  struct scored {
    std::uint32_t doc;
    float score;
  };

  /// `docs` are the token lists of each passage, in index order.
  explicit bm25(const std::vector<std::vector<std::string>>& docs,
                float k1 = 1.2f, float b = 0.75f);

  /// Scores every document for the query terms (dense accumulator: O(N)
  /// memory, O(postings) time); documents with no term get 0.
  std::vector<float> score_all(const std::vector<std::string>& query) const;

  /// The best `k` documents with a positive score, best first.
  std::vector<scored> top_k(const std::vector<float>& scores, std::size_t k) const;

  std::size_t size() const { return doc_len_.size(); }

  /// Inverse document frequency of `term`; a term no passage contains gets
  /// the rarest possible value (it is as specific as a term can be).
  float idf(const std::string& term) const;

 private:
  struct posting {
    std::uint32_t doc;
    std::uint32_t tf;
  };
  float k1_, b_, avg_len_ = 0;
  std::vector<float> doc_len_;
  std::unordered_map<std::string, std::pair<float, std::vector<posting>>> postings_;  // idf, list
};

}  // namespace sof::retrieval
