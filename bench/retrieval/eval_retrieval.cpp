// Retrieval quality on the labelled query set: recall@k and MRR@10 for the
// LSA embedder alone, BM25 alone and the hybrid (with a sweep of the hybrid
// weight), printed as Markdown for docs/BENCHMARKS.md.
//   eval_retrieval [--corpus DIR] [--queries FILE] [--dims N] [--sigma-power P] [--misses]
#include "actors/common/errors.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/eval.hpp"
#include "retrieval/paths.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

namespace r = sof::retrieval;

int main(int argc, char** argv) {
  CLI::App app{"Evaluate retrieval quality on a labelled query set"};
  std::string corpus = r::default_corpus_dir().string();
  std::string queries = std::string(SOF_SOURCE_DIR) + "/tests/data/retrieval/queries.json";
  std::size_t dims = r::lsa_options{}.dims, k = 5;
  float sigma_power = r::lsa_options{}.sigma_power;
  bool misses = false;
  std::size_t target_words = r::chunk_options{}.target_words;
  std::size_t max_words = r::chunk_options{}.max_words;
  app.add_option("--corpus", corpus);
  app.add_option("--queries", queries);
  app.add_option("--dims", dims);
  app.add_option("--sigma-power", sigma_power);
  app.add_option("--k", k);
  app.add_option("--target-words", target_words, "Chunker target passage size");
  app.add_option("--max-words", max_words, "Chunker maximum passage size");
  app.add_flag("--misses", misses, "List queries with nothing relevant in the top k");
  CLI11_PARSE(app, argc, argv);

  auto labelled = r::load_labelled_queries(queries);
  if (!labelled) {
    std::fprintf(stderr, "%s\n", sof::describe(labelled.error()).c_str());
    return 1;
  }
  auto dir = std::filesystem::temp_directory_path() / ("sof-eval-" + std::to_string(::getpid()));
  r::build_options opts;
  opts.corpus_dirs = {corpus};
  opts.index_dir = dir;
  opts.lsa.dims = dims;
  opts.lsa.sigma_power = sigma_power;
  opts.progress = false;
  opts.chunking.target_words = target_words;
  opts.chunking.max_words = max_words;
  auto built = r::build_index(opts);
  if (!built) {
    std::fprintf(stderr, "%s\n", sof::describe(built.error()).c_str());
    return 1;
  }
  auto kb = r::retriever::open(dir);
  std::filesystem::remove_all(dir);
  if (!kb) {
    std::fprintf(stderr, "%s\n", sof::describe(kb.error()).c_str());
    return 1;
  }
  std::printf("%zu queries, %zu passages, LSA %zu dims (sigma^%.2f), %zu features\n\n",
              labelled->size(), (*kb)->size(), built->manifest.dims, sigma_power,
              built->vocabulary);
  std::printf("| retriever | recall@%zu | MRR@10 |\n|---|---|---|\n", k);
  auto row = [&](const std::string& name, r::search_options so) {
    so.k = k;
    auto q = r::evaluate(**kb, *labelled, so);
    if (!q) {
      std::fprintf(stderr, "%s\n", sof::describe(q.error()).c_str());
      return;
    }
    std::printf("| %s | %.3f | %.3f |\n", name.c_str(), q->recall_at_k, q->mrr);
    if (misses)
      for (auto& m : q->misses)
        std::printf("|   miss: %s | | |\n", m.c_str());
  };
  row("embedder (LSA, dense)", {5, r::search_mode::dense});
  row("BM25", {5, r::search_mode::bm25});
  for (float a : {0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}) {
    char name[64];
    std::snprintf(name, sizeof name, "hybrid alpha=%.1f%s", a,
                  a == r::search_options{}.alpha ? " (shipped)" : "");
    row(name, {5, r::search_mode::hybrid, a});
  }
  return 0;
}
