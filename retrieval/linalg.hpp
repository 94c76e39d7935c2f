#pragma once
// The few dense linear-algebra kernels the LSA embedder needs, on top of
// BLAS/LAPACK (whichever libblas.so.3 / liblapack.so.3 the system selects:
// OpenBLAS after tools/setup/install-deps.sh, the reference one otherwise).
// All matrices are column-major, as LAPACK expects.
#include <caf/expected.hpp>

#include <vector>

namespace sof::retrieval::linalg {

/// Makes OpenBLAS single-threaded unless OPENBLAS_NUM_THREADS says
/// otherwise (a no-op with other BLAS builds). FAISS already runs its own
/// OpenMP threads; OpenBLAS threads on top oversubscribe the cores and, on
/// a shared 2-core box, made a 64-query batch 100x slower (see
/// docs/BENCHMARKS.md). Idempotent and thread-safe.
void configure_blas_threads();

/// C (m x n) = op(A) * op(B) with op = transpose when the flag is set.
void gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
          const float* b, int ldb, float* c, int ldc);

/// Replaces the m x n matrix `a` (m >= n) by an orthonormal basis of its
/// column space (thin QR).
caf::error orthonormalize(std::vector<float>& a, int m, int n);

/// Eigen-decomposition of the symmetric n x n matrix `a`: eigenvalues in
/// ascending order; `a` is overwritten with the eigenvectors (columns).
caf::expected<std::vector<float>> symmetric_eigen(std::vector<float>& a, int n);

}  // namespace sof::retrieval::linalg
