#pragma once
// Text -> dense vector. Every embedder returns L2-normalised vectors, so the
// FAISS inner-product index ranks by cosine similarity.
#include <caf/expected.hpp>

#include <string>
#include <vector>

namespace sof::retrieval {

class embedder {
 public:
  virtual ~embedder() = default;
  virtual std::size_t dims() const = 0;
  /// "lsa" or "remote"; recorded in the index manifest.
  virtual std::string kind() const = 0;
  /// Embeds `texts` into one row-major (texts.size() x dims()) matrix.
  /// Must be safe to call from several threads at once.
  virtual caf::expected<std::vector<float>> embed(const std::vector<std::string>& texts) const = 0;
};

/// Scales `v` (n rows of `dims`) to unit length row by row; zero rows stay 0.
void l2_normalize_rows(std::vector<float>& v, std::size_t dims);

}  // namespace sof::retrieval
