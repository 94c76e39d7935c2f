#pragma once
// The FAISS side: an inner-product index over unit vectors (= cosine).
//
// Which index, by corpus size (d = 256, one query at a time, 2 cores,
// OpenBLAS; measured, see docs/BENCHMARKS.md):
//  - up to 10k passages: Flat. Exact, no training, nothing to tune; a scan
//    takes ~0.3 ms at 10k (6 us for the shipped ~440). At 20k the vectors
//    (20 MB) no longer stay in cache and a scan took 3.1 ms, over the 2 ms
//    search budget.
//  - up to 2M: HNSW (M = 32, efSearch = 64): typically sub-millisecond at
//    >0.95 recall of the exact top-k, for ~2x memory and slower adds.
//  - beyond: IVF (~4 sqrt(n) lists, nprobe 16), whose memory is the vectors
//    alone and whose build is a k-means; add PQ when RAM binds.
#include <caf/expected.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace faiss {
struct Index;
}

namespace sof::retrieval {

enum class index_kind { automatic, flat, hnsw, ivf };

const char* to_string(index_kind k);
caf::expected<index_kind> parse_index_kind(std::string_view s);
index_kind choose_index_kind(std::size_t n_vectors);

class vector_index {
 public:
  ~vector_index();
  vector_index(vector_index&&) noexcept;
  vector_index& operator=(vector_index&&) noexcept;

  /// Builds an index over `n` row-major unit vectors of `dims` floats.
  static caf::expected<vector_index> build(const std::vector<float>& vectors, std::size_t dims,
                                           index_kind kind = index_kind::automatic);
  static caf::expected<vector_index> load(const std::filesystem::path& file);
  caf::error save(const std::filesystem::path& file) const;

  struct result {
    std::uint32_t id;
    float score;
  };
  /// Top `k` by inner product. Thread-safe: FAISS search is const.
  std::vector<result> search(const float* query, std::size_t k) const;
  /// Batched search (n queries): where BLAS pays off for Flat indexes.
  std::vector<std::vector<result>> search_batch(const float* queries, std::size_t n,
                                                std::size_t k) const;
  /// The stored vector of `id` (for exact scores of keyword candidates).
  void reconstruct(std::uint32_t id, float* out) const;

  std::size_t size() const;
  std::size_t dims() const;
  index_kind kind() const { return kind_; }

 private:
  vector_index() = default;
  std::unique_ptr<faiss::Index> index_;
  index_kind kind_ = index_kind::flat;
};

}  // namespace sof::retrieval
