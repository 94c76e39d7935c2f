#include "retrieval/lsa_embedder.hpp"

#include "actors/common/errors.hpp"
#include "retrieval/linalg.hpp"
#include "retrieval/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

namespace sof::retrieval {

namespace {

constexpr char magic[8] = {'S', 'O', 'F', 'L', 'S', 'A', '0', '1'};

// Unigrams plus adjacent bigrams ("load balanc", "singl point").
template <class F>
void for_each_feature(const std::vector<std::string>& tokens, F&& f) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    f(tokens[i]);
    if (i + 1 < tokens.size())
      f(tokens[i] + ' ' + tokens[i + 1]);
  }
}

template <class T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
bool get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}

}  // namespace

void l2_normalize_rows(std::vector<float>& v, std::size_t dims) {
  for (std::size_t r = 0; dims > 0 && r < v.size() / dims; ++r) {
    float* row = v.data() + r * dims;
    double s = 0;
    for (std::size_t j = 0; j < dims; ++j)
      s += static_cast<double>(row[j]) * row[j];
    if (s > 0) {
      auto inv = static_cast<float>(1.0 / std::sqrt(s));
      for (std::size_t j = 0; j < dims; ++j)
        row[j] *= inv;
    }
  }
}

std::vector<std::pair<std::uint32_t, float>>
lsa_embedder::tfidf(const std::vector<std::string>& tokens) const {
  std::unordered_map<std::uint32_t, float> tf;
  for_each_feature(tokens, [&](const std::string& f) {
    if (auto it = vocab_.find(f); it != vocab_.end())
      tf[it->second] += 1.f;
  });
  std::vector<std::pair<std::uint32_t, float>> v;
  v.reserve(tf.size());
  double norm = 0;
  for (auto [id, n] : tf) {
    float w = (1.f + std::log(n)) * idf_[id];  // sublinear tf
    v.emplace_back(id, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm > 0)
    for (auto& e : v)
      e.second = static_cast<float>(e.second / std::sqrt(norm));
  std::sort(v.begin(), v.end());
  return v;
}

caf::expected<std::unique_ptr<lsa_embedder>>
lsa_embedder::fit(const std::vector<std::vector<std::string>>& docs, const lsa_options& opts) {
  const std::size_t n_docs = docs.size();
  if (n_docs == 0)
    return make_error(errc::invalid_argument, "lsa: no documents to learn from");
  std::unique_ptr<lsa_embedder> self(new lsa_embedder);
  // Document frequencies of every feature.
  std::unordered_map<std::string, std::uint32_t> df;
  for (const auto& d : docs) {
    std::unordered_map<std::string, bool> seen;
    for_each_feature(d, [&](const std::string& f) {
      if (seen.emplace(f, true).second)
        ++df[f];
    });
  }
  const std::size_t min_df = n_docs < 50 ? 1 : opts.min_df;
  std::vector<std::pair<std::string, std::uint32_t>> kept;
  for (auto& [f, n] : df)
    if (n >= min_df)
      kept.emplace_back(f, n);
  if (kept.empty())
    return make_error(errc::invalid_argument, "lsa: the corpus has no indexable words");
  std::sort(kept.begin(), kept.end(), [](auto& a, auto& b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  });
  if (kept.size() > opts.max_features)
    kept.resize(opts.max_features);
  for (auto& [f, n] : kept) {
    self->vocab_.emplace(f, static_cast<std::uint32_t>(self->terms_.size()));
    self->terms_.push_back(f);
    self->idf_.push_back(static_cast<float>(
      std::log((1.0 + n_docs) / (1.0 + n)) + 1.0));
  }
  const int n = static_cast<int>(n_docs);
  const int v = static_cast<int>(self->terms_.size());
  // The TF-IDF matrix A (n x v) as sparse rows.
  std::vector<std::vector<std::pair<std::uint32_t, float>>> rows;
  rows.reserve(n_docs);
  for (const auto& d : docs)
    rows.push_back(self->tfidf(d));
  const int k = static_cast<int>(std::min<std::size_t>(opts.dims, std::min(n, v)));
  const int l = std::min(k + 12, std::min(n, v));  // oversampled sketch width

  // Y = A * Omega with a Gaussian Omega (v x l), generated on the fly.
  std::mt19937_64 rng(opts.seed);
  std::normal_distribution<float> gauss;
  std::vector<float> z(static_cast<std::size_t>(v) * l);
  for (auto& x : z)
    x = gauss(rng);
  std::vector<float> y(static_cast<std::size_t>(n) * l);
  auto a_times = [&](const std::vector<float>& zin, std::vector<float>& yout) {  // A * Z
    std::fill(yout.begin(), yout.end(), 0.f);
    for (int i = 0; i < n; ++i)
      for (auto [t, w] : rows[i])
        for (int c = 0; c < l; ++c)
          yout[i + static_cast<std::size_t>(c) * n] += w * zin[t + static_cast<std::size_t>(c) * v];
  };
  auto at_times = [&](const std::vector<float>& yin, std::vector<float>& zout) {  // A^T * Y
    std::fill(zout.begin(), zout.end(), 0.f);
    for (int i = 0; i < n; ++i)
      for (auto [t, w] : rows[i])
        for (int c = 0; c < l; ++c)
          zout[t + static_cast<std::size_t>(c) * v] += w * yin[i + static_cast<std::size_t>(c) * n];
  };
  a_times(z, y);
  if (auto err = linalg::orthonormalize(y, n, l))
    return err;
  for (int it = 0; it < opts.power_iterations; ++it) {
    at_times(y, z);
    if (auto err = linalg::orthonormalize(z, v, l))
      return err;
    a_times(z, y);
    if (auto err = linalg::orthonormalize(y, n, l))
      return err;
  }
  // B^T = A^T Q (v x l); B B^T = (B^T)^T B^T is small (l x l).
  at_times(y, z);
  std::vector<float> g(static_cast<std::size_t>(l) * l);
  linalg::gemm(true, false, l, l, v, z.data(), v, z.data(), v, g.data(), l);
  auto eig = linalg::symmetric_eigen(g, l);
  if (!eig)
    return eig.error();
  // Right singular vectors: V_j = B^T w_j / sigma_j for the top k eigenpairs
  // (ssyev sorts ascending). Each is scaled by sigma_j^p so dimension weights
  // can be tuned between plain cosine in the latent space (p = 0) and
  // classic LSA document coordinates (p = 1).
  std::vector<float> w_top(static_cast<std::size_t>(l) * k, 0.f);
  int kept_dims = 0;
  const float largest = std::max((*eig)[l - 1], 1e-30f);
  for (int j = 0; j < k; ++j) {
    float lambda = (*eig)[l - 1 - j];
    if (lambda <= largest * 1e-8f)
      break;  // numerically zero: the corpus has fewer independent directions
    float sigma = std::sqrt(lambda);
    float scale = std::pow(sigma, opts.sigma_power) / sigma;
    for (int r = 0; r < l; ++r)
      w_top[r + static_cast<std::size_t>(kept_dims) * l] =
        g[r + static_cast<std::size_t>(l - 1 - j) * l] * scale;
    ++kept_dims;
  }
  if (kept_dims == 0)
    return make_error(errc::invalid_argument, "lsa: the corpus matrix is empty");
  std::vector<float> p(static_cast<std::size_t>(v) * kept_dims);  // v x k, column-major
  linalg::gemm(false, false, v, kept_dims, l, z.data(), v, w_top.data(), l, p.data(), v);
  self->dims_ = static_cast<std::size_t>(kept_dims);
  self->proj_.resize(p.size());
  for (int t = 0; t < v; ++t)
    for (int j = 0; j < kept_dims; ++j)
      self->proj_[static_cast<std::size_t>(t) * kept_dims + j] = p[t + static_cast<std::size_t>(j) * v];
  return self;
}

void lsa_embedder::embed_tokens(const std::vector<std::string>& tokens, float* out) const {
  std::fill(out, out + dims_, 0.f);
  for (auto [t, w] : tfidf(tokens)) {
    const float* row = proj_.data() + static_cast<std::size_t>(t) * dims_;
    for (std::size_t j = 0; j < dims_; ++j)
      out[j] += w * row[j];
  }
  double s = 0;
  for (std::size_t j = 0; j < dims_; ++j)
    s += static_cast<double>(out[j]) * out[j];
  if (s > 0)
    for (std::size_t j = 0; j < dims_; ++j)
      out[j] = static_cast<float>(out[j] / std::sqrt(s));
}

caf::expected<std::vector<float>> lsa_embedder::embed(const std::vector<std::string>& texts) const {
  std::vector<float> out(texts.size() * dims_);
  for (std::size_t i = 0; i < texts.size(); ++i)
    embed_tokens(tokenize(texts[i]), out.data() + i * dims_);
  return out;
}

caf::error lsa_embedder::save(const std::filesystem::path& file) const {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out)
    return make_error(errc::io_error, "cannot write " + file.string());
  out.write(magic, sizeof magic);
  put(out, static_cast<std::uint32_t>(dims_));
  put(out, static_cast<std::uint32_t>(terms_.size()));
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    put(out, static_cast<std::uint16_t>(terms_[i].size()));
    out.write(terms_[i].data(), static_cast<std::streamsize>(terms_[i].size()));
    put(out, idf_[i]);
  }
  out.write(reinterpret_cast<const char*>(proj_.data()),
            static_cast<std::streamsize>(proj_.size() * sizeof(float)));
  out.flush();
  if (!out)
    return make_error(errc::io_error, "cannot write " + file.string());
  return {};
}

caf::expected<std::unique_ptr<lsa_embedder>> lsa_embedder::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return make_error(errc::io_error, "cannot open " + file.string());
  auto corrupt = [&](const char* what) {
    return make_error(errc::corrupt_data, file.string() + ": " + what);
  };
  char m[sizeof magic];
  if (!in.read(m, sizeof m) || std::memcmp(m, magic, sizeof m) != 0)
    return corrupt("not an embedder file (bad magic)");
  std::uint32_t dims = 0, n_terms = 0;
  if (!get(in, dims) || !get(in, n_terms) || dims == 0 || dims > 65536 ||
      n_terms == 0 || n_terms > 50'000'000)
    return corrupt("bad header");
  std::unique_ptr<lsa_embedder> self(new lsa_embedder);
  self->dims_ = dims;
  self->terms_.reserve(n_terms);
  self->idf_.reserve(n_terms);
  for (std::uint32_t i = 0; i < n_terms; ++i) {
    std::uint16_t len = 0;
    float idf = 0;
    std::string term;
    if (!get(in, len))
      return corrupt("truncated vocabulary");
    term.resize(len);
    if (!in.read(term.data(), len) || !get(in, idf) || !std::isfinite(idf))
      return corrupt("truncated vocabulary");
    self->vocab_.emplace(term, i);
    self->terms_.push_back(std::move(term));
    self->idf_.push_back(idf);
  }
  self->proj_.resize(static_cast<std::size_t>(n_terms) * dims);
  if (!in.read(reinterpret_cast<char*>(self->proj_.data()),
               static_cast<std::streamsize>(self->proj_.size() * sizeof(float))))
    return corrupt("truncated projection matrix");
  if (in.peek() != std::char_traits<char>::eof())
    return corrupt("trailing bytes");
  return self;
}

}  // namespace sof::retrieval
