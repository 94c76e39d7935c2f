#include "retrieval/retriever.hpp"

#include "actors/common/errors.hpp"
#include "retrieval/bm25.hpp"
#include "retrieval/linalg.hpp"
#include "retrieval/lsa_embedder.hpp"
#include "retrieval/remote_embedder.hpp"
#include "retrieval/text.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace fs = std::filesystem;

namespace sof::retrieval {

const char* to_string(search_mode m) {
  switch (m) {
    case search_mode::hybrid: return "hybrid";
    case search_mode::dense: return "dense";
    case search_mode::bm25: return "bm25";
  }
  return "?";
}

caf::expected<search_mode> parse_search_mode(std::string_view s) {
  for (auto m : {search_mode::hybrid, search_mode::dense, search_mode::bm25})
    if (s == to_string(m))
      return m;
  return make_error(errc::invalid_argument,
                    "unknown search mode '" + std::string(s) + "' (hybrid, dense, bm25)");
}

std::string indexed_text(const passage& p) {
  return p.title + ". " + p.heading + ". " + p.text;
}

std::string_view clamp_query(std::string_view q, std::size_t max_bytes) {
  if (q.size() <= max_bytes)
    return q;
  auto cut = q.substr(0, max_bytes);
  auto sp = cut.find_last_of(" \t\n");
  // Never cut inside a UTF-8 sequence: back up over continuation bytes.
  std::size_t n = sp != std::string_view::npos && sp > max_bytes / 2 ? sp : max_bytes;
  while (n > 0 && (static_cast<unsigned char>(q[n]) & 0xC0) == 0x80)
    --n;
  return q.substr(0, n);
}

retriever::retriever() = default;
float retriever::idf(const std::string& term) const {
  return bm25_->idf(term);
}

retriever::~retriever() = default;

caf::expected<std::shared_ptr<const retriever>> retriever::open(const fs::path& dir) {
  linalg::configure_blas_threads();
  auto manifest = read_manifest(dir);
  if (!manifest)
    return manifest.error();
  auto bad = [&](const caf::error& err) {
    return make_error(errc::corrupt_data, "knowledge-base index at " + dir.string() +
                                            " is unusable: " + describe(err) +
                                            "; rebuild it with: " + rebuild_hint(dir));
  };
  std::shared_ptr<retriever> self(new retriever);
  self->dir_ = dir;
  self->manifest_ = std::move(*manifest);
  auto passages = read_passages(dir / "passages.json");
  if (!passages)
    return bad(passages.error());
  self->passages_ = std::move(*passages);
  if (self->manifest_.embedder == "lsa") {
    auto emb = lsa_embedder::load(dir / "embedder.bin");
    if (!emb)
      return bad(emb.error());
    self->embedder_ = std::move(*emb);
  } else if (self->manifest_.embedder == "remote") {
    self->embedder_ = std::make_unique<remote_embedder>(
      remote_embedder::config{self->manifest_.remote_url, self->manifest_.remote_model});
  } else {
    return bad(make_error(errc::unsupported, "unknown embedder " + self->manifest_.embedder));
  }
  auto vectors = vector_index::load(dir / "vectors.faiss");
  if (!vectors)
    return bad(vectors.error());
  if (vectors->size() != self->passages_.size() ||
      (self->manifest_.embedder == "lsa" && vectors->dims() != self->embedder_->dims()))
    return bad(make_error(errc::corrupt_data, "vector and passage counts disagree"));
  self->vectors_ = std::make_unique<vector_index>(std::move(*vectors));
  std::vector<std::vector<std::string>> docs;
  docs.reserve(self->passages_.size());
  for (const auto& p : self->passages_)
    docs.push_back(tokenize(indexed_text(p)));
  self->bm25_ = std::make_unique<bm25>(docs);
  return std::shared_ptr<const retriever>(std::move(self));
}

caf::expected<std::vector<float>>
retriever::embed_query(std::string_view query, const std::vector<std::string>& tokens) const {
  if (auto lsa = dynamic_cast<const lsa_embedder*>(embedder_.get())) {
    std::vector<float> v(lsa->dims());
    lsa->embed_tokens(tokens, v.data());
    return v;
  }
  return embedder_->embed({std::string(query)});
}

hit retriever::make_hit(std::uint32_t id, float score) const {
  return hit{score, id, passages_[id]};
}

caf::expected<std::vector<hit>> retriever::search(std::string_view query, std::size_t k,
                                                  search_mode mode) const {
  search_options opts;
  opts.k = k;
  opts.mode = mode;
  return search(query, opts);
}

caf::expected<std::vector<hit>> retriever::search(std::string_view query,
                                                  const search_options& opts) const {
  query = clamp_query(query, max_query_bytes);
  if (std::all_of(query.begin(), query.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return make_error(errc::invalid_argument, "empty query");
  if (opts.k == 0)
    return make_error(errc::invalid_argument, "k must be at least 1");
  const std::size_t k = std::min({opts.k, max_k, passages_.size()});
  const auto tokens = tokenize(query);
  std::vector<hit> out;

  if (opts.mode == search_mode::bm25) {
    auto scores = bm25_->score_all(tokens);
    for (auto [doc, s] : bm25_->top_k(scores, k))
      out.push_back(make_hit(doc, s));
    return out;
  }
  auto qvec = embed_query(query, tokens);
  if (!qvec)
    return qvec.error();
  if (qvec->size() != vectors_->dims())  // a remote model changed under the index
    return make_error(errc::provider_failed,
                      "query embedding has " + std::to_string(qvec->size()) +
                        " dims, the index " + std::to_string(vectors_->dims()) +
                        "; rebuild with: " + rebuild_hint(dir_));
  const bool has_dense = std::any_of(qvec->begin(), qvec->end(), [](float x) { return x != 0; });
  if (opts.mode == search_mode::dense) {
    if (!has_dense)
      return out;
    for (auto r : vectors_->search(qvec->data(), k))
      out.push_back(make_hit(r.id, r.score));
    return out;
  }

  // Hybrid: the union of both top lists, every candidate scored exactly by
  // both sides, each side min-max normalised over the candidates, then a
  // convex combination (Bruch et al., "An Analysis of Fusion Functions for
  // Hybrid Retrieval", 2023: more robust than reciprocal-rank fusion when
  // the two scorers are of similar quality).
  const std::size_t pool = std::min(passages_.size(), std::max<std::size_t>(50, 4 * k));
  auto bm_scores = bm25_->score_all(tokens);
  std::unordered_map<std::uint32_t, std::pair<float, float>> cand;  // dense, bm25
  if (has_dense)
    for (auto r : vectors_->search(qvec->data(), pool))
      cand[r.id] = {r.score, bm_scores[r.id]};
  std::vector<float> vec(vectors_->dims());
  for (auto [doc, s] : bm25_->top_k(bm_scores, pool)) {
    if (cand.count(doc))
      continue;
    float dense = 0;
    if (has_dense) {
      vectors_->reconstruct(doc, vec.data());
      for (std::size_t j = 0; j < vec.size(); ++j)
        dense += vec[j] * (*qvec)[j];
    }
    cand[doc] = {dense, s};
  }
  if (cand.empty())
    return out;
  float dmin = 1e30f, dmax = -1e30f, bmin = 1e30f, bmax = -1e30f;
  for (auto& [id, s] : cand) {
    dmin = std::min(dmin, s.first), dmax = std::max(dmax, s.first);
    bmin = std::min(bmin, s.second), bmax = std::max(bmax, s.second);
  }
  auto norm = [](float x, float lo, float hi) { return hi > lo ? (x - lo) / (hi - lo) : 0.f; };
  std::vector<std::pair<float, std::uint32_t>> fused;
  fused.reserve(cand.size());
  for (auto& [id, s] : cand)
    fused.emplace_back(opts.alpha * norm(s.first, dmin, dmax) +
                         (1 - opts.alpha) * norm(s.second, bmin, bmax),
                       id);
  const auto top = std::min(k, fused.size());
  std::partial_sort(fused.begin(), fused.begin() + static_cast<std::ptrdiff_t>(top), fused.end(),
                    [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  for (std::size_t i = 0; i < top; ++i)
    out.push_back(make_hit(fused[i].second, fused[i].first));
  return out;
}

caf::expected<std::vector<std::vector<hit>>>
retriever::search_dense_batch(const std::vector<std::string>& queries, std::size_t k) const {
  const std::size_t d = vectors_->dims();
  std::vector<float> q(queries.size() * d);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto v = embed_query(queries[i], tokenize(queries[i]));
    if (!v)
      return v.error();
    if (v->size() != d)
      return make_error(errc::provider_failed, "query embedding size differs from the index");
    std::copy(v->begin(), v->end(), q.begin() + static_cast<std::ptrdiff_t>(i * d));
  }
  std::vector<std::vector<hit>> out;
  for (auto& rs : vectors_->search_batch(q.data(), queries.size(), std::min(k, max_k))) {
    out.emplace_back();
    for (auto r : rs)
      out.back().push_back(make_hit(r.id, r.score));
  }
  return out;
}

}  // namespace sof::retrieval
