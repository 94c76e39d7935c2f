#include "retrieval/linalg.hpp"

#include "actors/common/errors.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

extern "C" {
void sgemm_(const char* transa, const char* transb, const int* m, const int* n,
            const int* k, const float* alpha, const float* a, const int* lda,
            const float* b, const int* ldb, const float* beta, float* c,
            const int* ldc);
void sgeqrf_(const int* m, const int* n, float* a, const int* lda, float* tau,
             float* work, const int* lwork, int* info);
void sorgqr_(const int* m, const int* n, const int* k, float* a, const int* lda,
             const float* tau, float* work, const int* lwork, int* info);
void ssyev_(const char* jobz, const char* uplo, const int* n, float* a,
            const int* lda, float* w, float* work, const int* lwork, int* info);
}

namespace sof::retrieval::linalg {

void configure_blas_threads() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("OPENBLAS_NUM_THREADS"))
      return;  // the user decided
    // Looked up at run time: the symbol exists only when libblas.so.3 is
    // OpenBLAS (Debian's alternatives choose at run time, not link time).
    using set_threads_fn = void (*)(int);
    if (auto fn = reinterpret_cast<set_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
      fn(1);
  });
}

void gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
          const float* b, int ldb, float* c, int ldc) {
  const float one = 1.f, zero = 0.f;
  const char ta = trans_a ? 'T' : 'N', tb = trans_b ? 'T' : 'N';
  sgemm_(&ta, &tb, &m, &n, &k, &one, a, &lda, b, &ldb, &zero, c, &ldc);
}

caf::error orthonormalize(std::vector<float>& a, int m, int n) {
  if (m < n || static_cast<long>(a.size()) < static_cast<long>(m) * n)
    return make_error(errc::invalid_argument, "orthonormalize: matrix is wider than tall");
  std::vector<float> tau(static_cast<std::size_t>(n));
  int info = 0, lwork = -1;
  float query = 0;
  sgeqrf_(&m, &n, a.data(), &m, tau.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<float> work(static_cast<std::size_t>(lwork));
  sgeqrf_(&m, &n, a.data(), &m, tau.data(), work.data(), &lwork, &info);
  if (info != 0)
    return make_error(errc::invalid_argument, "sgeqrf failed: info=" + std::to_string(info));
  lwork = -1;
  sorgqr_(&m, &n, &n, a.data(), &m, tau.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  work.resize(static_cast<std::size_t>(lwork));
  sorgqr_(&m, &n, &n, a.data(), &m, tau.data(), work.data(), &lwork, &info);
  if (info != 0)
    return make_error(errc::invalid_argument, "sorgqr failed: info=" + std::to_string(info));
  return {};
}

caf::expected<std::vector<float>> symmetric_eigen(std::vector<float>& a, int n) {
  std::vector<float> w(static_cast<std::size_t>(n));
  const char jobz = 'V', uplo = 'U';
  int info = 0, lwork = -1;
  float query = 0;
  ssyev_(&jobz, &uplo, &n, a.data(), &n, w.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<float> work(static_cast<std::size_t>(lwork));
  ssyev_(&jobz, &uplo, &n, a.data(), &n, w.data(), work.data(), &lwork, &info);
  if (info != 0)
    return make_error(errc::invalid_argument, "ssyev failed: info=" + std::to_string(info));
  return w;
}

}  // namespace sof::retrieval::linalg
