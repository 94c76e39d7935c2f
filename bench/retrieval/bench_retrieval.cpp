// Search latency and build time on the shipped corpus (../shared/kb).
// Each search benchmark cycles through the labelled queries and reports the
// per-query p50 / p99 as counters (microseconds), next to Google
// Benchmark's mean. Run under both BLAS builds to compare, e.g.
//   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack
//   build/bin/bench_retrieval       # (one line) reference BLAS/LAPACK
//   build/bin/bench_retrieval       # OpenBLAS (what install-deps.sh selects)
#include "actors/common/errors.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/eval.hpp"
#include "retrieval/paths.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace r = sof::retrieval;

namespace {

std::filesystem::path scratch() {
  static auto dir = std::filesystem::temp_directory_path() /
                    ("sof-bench-kb-" + std::to_string(::getpid()));
  return dir;
}

r::build_options shipped_opts(const std::filesystem::path& out) {
  r::build_options o;
  o.corpus_dirs = {r::default_corpus_dir()};
  o.index_dir = out;
  o.progress = false;
  return o;
}

const r::retriever& kb() {
  static std::shared_ptr<const r::retriever> k = [] {
    auto built = r::build_index(shipped_opts(scratch() / "index"));
    if (!built) {
      std::fprintf(stderr, "%s\n", sof::describe(built.error()).c_str());
      std::exit(1);
    }
    auto opened = r::retriever::open(scratch() / "index");
    if (!opened) {
      std::fprintf(stderr, "%s\n", sof::describe(opened.error()).c_str());
      std::exit(1);
    }
    return *opened;
  }();
  return *k;
}

const std::vector<std::string>& queries() {
  static std::vector<std::string> qs = [] {
    std::vector<std::string> out;
    auto labelled = r::load_labelled_queries(std::string(SOF_SOURCE_DIR) +
                                             "/tests/data/retrieval/queries.json");
    if (labelled)
      for (auto& q : *labelled)
        out.push_back(q.query);
    if (out.empty())
      out.push_back("how do I avoid a single point of failure in the load balancer");
    return out;
  }();
  return qs;
}

void report_percentiles(benchmark::State& state, std::vector<double>& us) {
  if (us.empty())
    return;
  std::sort(us.begin(), us.end());
  auto at = [&](double p) { return us[std::min(us.size() - 1, static_cast<std::size_t>(p * us.size()))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = us.back();
}

void search_bench(benchmark::State& state, r::search_mode mode) {
  const auto& k = kb();
  const auto& qs = queries();
  std::vector<double> us;
  std::size_t i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto hits = k.search(qs[i++ % qs.size()], 5, mode);
    auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(hits);
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  report_percentiles(state, us);
  state.counters["passages"] = static_cast<double>(k.size());
}

void BM_search_hybrid(benchmark::State& s) { search_bench(s, r::search_mode::hybrid); }
void BM_search_dense(benchmark::State& s) { search_bench(s, r::search_mode::dense); }
void BM_search_bm25(benchmark::State& s) { search_bench(s, r::search_mode::bm25); }

// 64 queries in one FAISS call: above faiss's BLAS threshold (20 queries),
// so this is where OpenBLAS vs reference BLAS shows at search time.
void BM_search_dense_batch64(benchmark::State& state) {
  const auto& k = kb();
  std::vector<std::string> batch;
  for (std::size_t i = 0; i < 64; ++i)
    batch.push_back(queries()[i % queries().size()]);
  for (auto _ : state) {
    auto hits = k.search_dense_batch(batch, 5);
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations() * 64);
}

// The whole `sof kb build` of the shipped corpus: read, chunk, fit LSA
// (randomised SVD: QR and GEMM in LAPACK/BLAS), embed, index, write.
void BM_build_shipped_corpus(benchmark::State& state) {
  for (auto _ : state) {
    auto built = r::build_index(shipped_opts(scratch() / "build"));
    if (!built)
      state.SkipWithError(sof::describe(built.error()).c_str());
    benchmark::DoNotOptimize(built);
  }
}

}  // namespace

BENCHMARK(BM_search_hybrid);
BENCHMARK(BM_search_dense);
BENCHMARK(BM_search_bm25);
BENCHMARK(BM_search_dense_batch64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_build_shipped_corpus)->Unit(benchmark::kMillisecond)->Iterations(5);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(scratch(), ec);
  return 0;
}
