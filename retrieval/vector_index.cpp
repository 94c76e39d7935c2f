#include "retrieval/vector_index.hpp"

#include "actors/common/errors.hpp"
#include "retrieval/linalg.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_io.h>
#include <faiss/utils/distances.h>
#include <omp.h>

#include <cmath>
#include <mutex>

namespace sof::retrieval {

const char* to_string(index_kind k) {
  switch (k) {
    case index_kind::automatic: return "auto";
    case index_kind::flat: return "flat";
    case index_kind::hnsw: return "hnsw";
    case index_kind::ivf: return "ivf";
  }
  return "?";
}

caf::expected<index_kind> parse_index_kind(std::string_view s) {
  for (auto k : {index_kind::automatic, index_kind::flat, index_kind::hnsw, index_kind::ivf})
    if (s == to_string(k))
      return k;
  return make_error(errc::invalid_argument,
                    "unknown index kind '" + std::string(s) + "' (auto, flat, hnsw, ivf)");
}

index_kind choose_index_kind(std::size_t n) {
  if (n <= 10'000)
    return index_kind::flat;
  if (n <= 2'000'000)
    return index_kind::hnsw;
  return index_kind::ivf;
}

namespace {

// FAISS sends fewer than `distance_compute_blas_threshold` (default 20)
// queries to a scalar loop (~190 ns per 256-d vector with Debian's generic
// build) and larger batches to BLAS sgemm. With OpenBLAS, sgemm is ~15x
// faster even for one query (6 us instead of 85 us on the shipped corpus),
// and with the reference BLAS it is no slower, so every search goes to BLAS.
// Process-wide, but FAISS has no other users in sof. Every index that is
// built or loaded also gets one BLAS thread (linalg.hpp): the retriever set
// it already, but an index used on its own ran sgemm on OpenBLAS's spinning
// thread pool, which oversubscribes the cores (and which ThreadSanitizer
// cannot see synchronise, so it reported the result buffer as a race).
void tune_faiss() {
  static std::once_flag once;
  std::call_once(once, [] { faiss::distance_compute_blas_threshold = 1; });
  linalg::configure_blas_threads();
}

}  // namespace

vector_index::~vector_index() = default;
vector_index::vector_index(vector_index&&) noexcept = default;
vector_index& vector_index::operator=(vector_index&&) noexcept = default;

caf::expected<vector_index> vector_index::build(const std::vector<float>& vectors,
                                                std::size_t dims, index_kind kind) {
  if (dims == 0 || vectors.size() % dims != 0)
    return make_error(errc::invalid_argument, "vector_index: bad vector matrix shape");
  const auto n = static_cast<faiss::Index::idx_t>(vectors.size() / dims);
  const int d = static_cast<int>(dims);
  if (kind == index_kind::automatic)
    kind = choose_index_kind(static_cast<std::size_t>(n));
  tune_faiss();
  vector_index out;
  out.kind_ = kind;
  try {
    switch (kind) {
      case index_kind::hnsw: {
        auto idx = std::make_unique<faiss::IndexHNSWFlat>(d, 32, faiss::METRIC_INNER_PRODUCT);
        idx->hnsw.efConstruction = 80;
        idx->hnsw.efSearch = 64;
        out.index_ = std::move(idx);
        break;
      }
      case index_kind::ivf: {
        auto nlist = static_cast<std::size_t>(
          std::max(1.0, std::min(4.0 * std::sqrt(static_cast<double>(n)), n / 39.0)));
        auto quantizer = new faiss::IndexFlatIP(d);
        auto idx = std::make_unique<faiss::IndexIVFFlat>(quantizer, d, nlist,
                                                         faiss::METRIC_INNER_PRODUCT);
        idx->own_fields = true;
        idx->train(n, vectors.data());
        idx->nprobe = std::min<std::size_t>(16, nlist);
        out.index_ = std::move(idx);
        break;
      }
      default:
        out.index_ = std::make_unique<faiss::IndexFlatIP>(d);
    }
    out.index_->add(n, vectors.data());
    if (auto ivf = dynamic_cast<faiss::IndexIVF*>(out.index_.get()))
      ivf->make_direct_map();
  } catch (const faiss::FaissException& e) {
    return make_error(errc::invalid_argument, std::string("faiss: ") + e.what());
  }
  return out;
}

caf::expected<vector_index> vector_index::load(const std::filesystem::path& file) {
  tune_faiss();
  vector_index out;
  try {
    out.index_.reset(faiss::read_index(file.string().c_str()));
  } catch (const faiss::FaissException& e) {
    return make_error(errc::corrupt_data, file.string() + ": " + e.what());
  }
  if (!out.index_ || out.index_->metric_type != faiss::METRIC_INNER_PRODUCT)
    return make_error(errc::corrupt_data, file.string() + ": not an inner-product index");
  if (dynamic_cast<faiss::IndexHNSW*>(out.index_.get())) {
    out.kind_ = index_kind::hnsw;
    dynamic_cast<faiss::IndexHNSW*>(out.index_.get())->hnsw.efSearch = 64;
  } else if (auto ivf = dynamic_cast<faiss::IndexIVF*>(out.index_.get())) {
    out.kind_ = index_kind::ivf;
    ivf->make_direct_map();
  } else {
    out.kind_ = index_kind::flat;
  }
  return out;
}

caf::error vector_index::save(const std::filesystem::path& file) const {
  try {
    faiss::write_index(index_.get(), file.string().c_str());
  } catch (const faiss::FaissException& e) {
    return make_error(errc::io_error, file.string() + ": " + e.what());
  }
  return {};
}

std::vector<vector_index::result> vector_index::search(const float* query, std::size_t k) const {
  auto batch = search_batch(query, 1, k);
  return batch.empty() ? std::vector<result>{} : std::move(batch.front());
}

std::vector<std::vector<vector_index::result>>
vector_index::search_batch(const float* queries, std::size_t n, std::size_t k) const {
  k = std::min<std::size_t>(k, size());
  std::vector<std::vector<result>> out(n);
  if (k == 0 || n == 0)
    return out;
  // One search, one core: parallelism comes from concurrent searches (one per
  // session). FAISS's OpenMP fork/join per call costs more than the scan on a
  // small index and waits for preempted threads on a busy machine (p99 went
  // from 0.2 to 4 ms under load). Sets only this thread's OpenMP ICV.
  omp_set_num_threads(1);
  std::vector<float> dist(n * k);
  std::vector<faiss::Index::idx_t> ids(n * k);
  index_->search(static_cast<faiss::Index::idx_t>(n), queries,
                 static_cast<faiss::Index::idx_t>(k), dist.data(), ids.data());
  for (std::size_t q = 0; q < n; ++q)
    for (std::size_t i = 0; i < k; ++i)
      if (ids[q * k + i] >= 0)
        out[q].push_back({static_cast<std::uint32_t>(ids[q * k + i]), dist[q * k + i]});
  return out;
}

void vector_index::reconstruct(std::uint32_t id, float* out) const {
  index_->reconstruct(static_cast<faiss::Index::idx_t>(id), out);
}

std::size_t vector_index::size() const {
  return index_ ? static_cast<std::size_t>(index_->ntotal) : 0;
}

std::size_t vector_index::dims() const {
  return index_ ? static_cast<std::size_t>(index_->d) : 0;
}

}  // namespace sof::retrieval
