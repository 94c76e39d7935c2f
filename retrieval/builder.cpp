#include "retrieval/builder.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/progress.hpp"
#include "retrieval/linalg.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"
#include "retrieval/text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <cstdio>
#include <ctime>

namespace fs = std::filesystem;

namespace sof::retrieval {

namespace {

std::string utc_now() {
  auto t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The corpus folders an index records, when it was embedded locally and
// every folder is still there; empty otherwise.
std::vector<fs::path> recorded_local_corpus(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("embedder") || !j["embedder"].is_object()
      || j["embedder"].value("kind", "") != "lsa" || !j.contains("corpus")
      || !j["corpus"].is_array() || j["corpus"].empty())
    return {};
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& c : j["corpus"]) {
    if (!c.is_string() || !fs::is_directory(c.get<std::string>(), ec))
      return {};
    out.emplace_back(c.get<std::string>());
  }
  return out;
}

}  // namespace

caf::expected<build_summary> build_index(const build_options& opts) {
  auto log = sof::log::get("retrieval");
  linalg::configure_blas_threads();
  const auto start = std::chrono::steady_clock::now();
  if (opts.index_dir.empty())
    return make_error(errc::invalid_argument, "no index directory given");

  std::unique_ptr<progress> bar;
  ingest_options iopts;
  iopts.chunking = opts.chunking;
  iopts.on_file = [&](std::size_t done, std::size_t total, const std::string& name) {
    if (!bar)
      bar = std::make_unique<progress>("kb: reading", total, opts.progress);
    bar->update(done, name);
  };
  auto ingested = ingest(opts.corpus_dirs, iopts);
  if (bar)
    bar->finish();
  if (!ingested)
    return ingested.error();
  for (const auto& w : ingested->warnings)
    log->warn("skipped {}: {}", w.file, w.reason);
  auto& passages = ingested->passages;

  build_summary summary;
  std::vector<float> vectors;
  std::size_t dims = 0;
  std::unique_ptr<lsa_embedder> lsa;
  if (opts.remote) {
    remote_embedder remote(*opts.remote);
    progress ebar("kb: embedding (remote)", passages.size(), opts.progress);
    const std::size_t batch = 256;
    for (std::size_t i = 0; i < passages.size(); i += batch) {
      std::vector<std::string> texts;
      for (std::size_t j = i; j < std::min(passages.size(), i + batch); ++j)
        texts.push_back(indexed_text(passages[j]));
      auto v = remote.embed(texts);
      if (!v)
        return v.error();
      vectors.insert(vectors.end(), v->begin(), v->end());
      ebar.update(std::min(passages.size(), i + batch));
    }
    ebar.finish();
    dims = remote.dims();
  } else {
    std::vector<std::vector<std::string>> docs;
    docs.reserve(passages.size());
    for (const auto& p : passages)
      docs.push_back(tokenize(indexed_text(p)));
    auto fitted = lsa_embedder::fit(docs, opts.lsa);
    if (!fitted)
      return fitted.error();
    lsa = std::move(*fitted);
    dims = lsa->dims();
    summary.vocabulary = lsa->vocabulary_size();
    vectors.resize(passages.size() * dims);
    progress ebar("kb: embedding", passages.size(), opts.progress);
    for (std::size_t i = 0; i < docs.size(); ++i) {
      lsa->embed_tokens(docs[i], vectors.data() + i * dims);
      ebar.update(i + 1);
    }
    ebar.finish();
  }
  auto index = vector_index::build(vectors, dims, opts.kind);
  if (!index)
    return index.error();

  // Write everything next to the target, then swap it in.
  std::error_code ec;
  fs::path target = opts.index_dir;
  fs::path tmp = target;
  tmp += ".building";
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec)
    return make_error(errc::io_error, "cannot create " + tmp.string() + ": " + ec.message());
  if (auto err = write_passages(tmp / "passages.json", passages))
    return err;
  if (lsa)
    if (auto err = lsa->save(tmp / "embedder.bin"))
      return err;
  if (auto err = index->save(tmp / "vectors.faiss"))
    return err;

  index_manifest& m = summary.manifest;
  m.embedder = opts.remote ? "remote" : "lsa";
  m.dims = dims;
  if (opts.remote) {
    m.remote_url = opts.remote->url;
    m.remote_model = opts.remote->model;
  }
  m.index_kind = to_string(index->kind());
  m.passages = passages.size();
  m.files_indexed = ingested->files_indexed;
  m.files_skipped = ingested->files_skipped;
  for (const auto& c : opts.corpus_dirs)
    m.corpus.push_back(fs::absolute(c, ec).lexically_normal().string());
  m.created = utc_now();
  m.build_seconds =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (auto err = write_manifest(tmp, m))
    return err;
  fs::remove_all(target, ec);
  if (ec)
    return make_error(errc::io_error, "cannot replace " + target.string() + ": " + ec.message());
  fs::rename(tmp, target, ec);
  if (ec)
    return make_error(errc::io_error, "cannot move the new index to " + target.string() +
                                        ": " + ec.message());
  summary.warnings = std::move(ingested->warnings);
  log->info("built {} passages from {} files ({} skipped) in {:.2f} s into {}", m.passages,
            m.files_indexed, m.files_skipped, m.build_seconds, target.string());
  return summary;
}

caf::expected<std::shared_ptr<const retriever>>
open_or_build(const std::string& dir_opt) {
  auto dir = dir_opt.empty() ? default_index_dir() : std::filesystem::path{dir_opt};
  auto kb = retriever::open(dir);
  if (kb)
    return kb;
  build_options b;
  b.index_dir = dir;
  if (auto code = static_cast<errc>(kb.error().code()); code == errc::not_found) {
    std::fprintf(stderr, "sof: no knowledge-base index yet; building %s\n", dir.c_str());
    b.corpus_dirs = {default_corpus_dir()};
  } else if (code == errc::unsupported) {
    // An older sof's index: derived data, rebuilt from the corpus it records
    // when it was embedded locally; a remote embedder needs its endpoint,
    // so that one is left to `sof kb build`.
    auto corpus = recorded_local_corpus(dir);
    if (corpus.empty())
      return kb;
    std::fprintf(stderr, "sof: %s\nsof: rebuilding it from %zu corpus folder(s)\n",
                 describe(kb.error()).c_str(), corpus.size());
    b.corpus_dirs = std::move(corpus);
  } else {
    return kb;
  }
  if (auto built = build_index(b); !built)
    return built.error();
  return retriever::open(dir);
}

}  // namespace sof::retrieval
