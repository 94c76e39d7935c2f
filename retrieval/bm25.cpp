#include "retrieval/bm25.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace sof::retrieval {

bm25::bm25(const std::vector<std::vector<std::string>>& docs, float k1, float b)
  : k1_(k1), b_(b) {
  doc_len_.reserve(docs.size());
  double total = 0;
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    std::unordered_map<std::string_view, std::uint32_t> tf;
    for (const auto& t : docs[d])
      ++tf[t];
    for (auto& [term, n] : tf)
      postings_[std::string(term)].second.push_back({d, n});
    doc_len_.push_back(static_cast<float>(docs[d].size()));
    total += docs[d].size();
  }
  avg_len_ = docs.empty() ? 1.f : static_cast<float>(total / docs.size());
  if (avg_len_ <= 0)
    avg_len_ = 1.f;
  const double n = static_cast<double>(docs.size());
  for (auto& [term, entry] : postings_) {
    double df = static_cast<double>(entry.second.size());
    // The "+1" variant (Lucene) keeps idf positive for very common terms.
    entry.first = static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
  }
}

float bm25::idf(const std::string& term) const {
  if (auto it = postings_.find(term); it != postings_.end())
    return it->second.first;
  const double n = static_cast<double>(doc_len_.size());
  return static_cast<float>(std::log(1.0 + (n + 0.5) / 0.5));
}

std::vector<float> bm25::score_all(const std::vector<std::string>& query) const {
  std::vector<float> scores(doc_len_.size(), 0.f);
  std::unordered_set<std::string_view> seen;
  for (const auto& term : query) {
    if (!seen.insert(term).second)
      continue;  // a repeated query word should not count twice
    auto it = postings_.find(term);
    if (it == postings_.end())
      continue;
    const float idf = it->second.first;
    for (const auto& p : it->second.second) {
      float tf = static_cast<float>(p.tf);
      float norm = k1_ * (1.f - b_ + b_ * doc_len_[p.doc] / avg_len_);
      scores[p.doc] += idf * tf * (k1_ + 1.f) / (tf + norm);
    }
  }
  return scores;
}

std::vector<bm25::scored> bm25::top_k(const std::vector<float>& scores,
                                      std::size_t k) const {
  std::vector<scored> all;
  for (std::uint32_t d = 0; d < scores.size(); ++d)
    if (scores[d] > 0)
      all.push_back({d, scores[d]});
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                    [](const scored& a, const scored& b) {
                      return a.score > b.score || (a.score == b.score && a.doc < b.doc);
                    });
  all.resize(k);
  return all;
}

}  // namespace sof::retrieval
