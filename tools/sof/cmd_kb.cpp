// `sof kb build` and `sof kb search`: the knowledge base from the command
// line, without actors (load the index, search, print).
#include "tools/sof/commands.hpp"

#include "actors/common/errors.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace sof::cli {

namespace {

namespace r = sof::retrieval;

struct kb_build_args {
  std::vector<std::string> corpus;
  std::string index;
  std::size_t dims = 256;
  std::string kind = "auto";
  std::string embed_url;
  std::string embed_model;
  bool quiet = false;
};

struct kb_search_args {
  std::string query;
  std::string index;
  std::size_t k = 5;
  std::string mode = "hybrid";
  bool json = false;
};

[[noreturn]] void fail(const caf::error& err) {
  std::fprintf(stderr, "sof kb: %s\n", sof::describe(err).c_str());
  throw CLI::RuntimeError(1);
}

void run_build(const kb_build_args& a) {
  r::build_options opts;
  for (const auto& c : a.corpus)
    opts.corpus_dirs.emplace_back(c);
  if (opts.corpus_dirs.empty())
    opts.corpus_dirs.push_back(r::default_corpus_dir());
  opts.index_dir = a.index.empty() ? r::default_index_dir() : std::filesystem::path(a.index);
  opts.lsa.dims = a.dims;
  opts.progress = !a.quiet;
  auto kind = r::parse_index_kind(a.kind);
  if (!kind)
    fail(kind.error());
  opts.kind = *kind;
  if (!a.embed_url.empty())
    opts.remote = r::remote_embedder::config{a.embed_url, a.embed_model};
  auto summary = r::build_index(opts);
  if (!summary)
    fail(summary.error());
  const auto& m = summary->manifest;
  std::printf("kb: %zu passages from %zu files (%zu skipped) in %.2f s\n", m.passages,
              m.files_indexed, m.files_skipped, m.build_seconds);
  for (const auto& w : summary->warnings)
    std::printf("kb:   skipped %s: %s\n", w.file.c_str(), w.reason.c_str());
  std::printf("kb: embedder %s (%zu dims, %zu features), %s index, written to %s\n",
              m.embedder.c_str(), m.dims, summary->vocabulary, m.index_kind.c_str(),
              opts.index_dir.string().c_str());
}

void run_search(const kb_search_args& a) {
  auto mode = r::parse_search_mode(a.mode);
  if (!mode)
    fail(mode.error());
  auto dir = a.index.empty() ? r::default_index_dir() : std::filesystem::path(a.index);
  auto kb = r::retriever::open(dir);
  if (!kb)
    fail(kb.error());
  r::search_options opts;
  opts.k = a.k;
  opts.mode = *mode;
  auto hits = (*kb)->search(a.query, opts);
  if (!hits)
    fail(hits.error());
  if (a.json) {
    nlohmann::json out = {{"results", nlohmann::json::array()}};
    for (const auto& h : *hits)
      out["results"].push_back({{"score", h.score},
                                {"source", h.doc.source},
                                {"title", h.doc.title},
                                {"heading", h.doc.heading},
                                {"text", h.doc.text},
                                {"attribution", h.doc.attribution}});
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (hits->empty())
    std::cout << "no passage matches that query\n";
  int rank = 0;
  for (const auto& h : *hits) {
    std::string text = h.doc.text;
    if (text.size() > 600)
      text = text.substr(0, text.find_last_of(' ', 600)) + " ...";
    std::printf("%d. [%.3f] %s \xE2\x80\x94 %s\n", ++rank, h.score, h.doc.source.c_str(),
                h.doc.heading.c_str());
    std::printf("%s\n", text.c_str());
    std::printf("   (%s)\n\n", h.doc.attribution.empty() ? h.doc.title.c_str()
                                                        : h.doc.attribution.c_str());
  }
}

}  // namespace

void add_kb_commands(CLI::App& app) {
  auto* kb = app.add_subcommand("kb", "Knowledge base: build the retrieval index, search it");
  kb->require_subcommand(1);
  const std::string index_help =
    "Index directory (default: $SOF_KB_INDEX, $SOF_HOME/kb, $XDG_DATA_HOME/sof/kb or "
    "~/.local/share/sof/kb; now " + r::default_index_dir().string() + ")";

  auto build_args = std::make_shared<kb_build_args>();
  auto* build = kb->add_subcommand("build", "Index Markdown, text and PDF files of a corpus");
  build->add_option("--corpus", build_args->corpus,
                    "Corpus directory, searched recursively; repeatable (default: " +
                      r::default_corpus_dir().string() + ")");
  build->add_option("--index", build_args->index, index_help);
  build->add_option("--dims", build_args->dims, "LSA embedding dimensions")
    ->check(CLI::Range(8, 2048));
  build->add_option("--index-kind", build_args->kind, "FAISS index: auto, flat, hnsw, ivf");
  build->add_option("--embed-url", build_args->embed_url,
                    "Use an OpenAI-compatible /v1/embeddings endpoint instead of the "
                    "built-in embedder (API key from $SOF_EMBED_API_KEY)");
  build->add_option("--embed-model", build_args->embed_model, "Model name for --embed-url");
  build->add_flag("--quiet,-q", build_args->quiet, "No progress bar");
  build->callback([build_args] { run_build(*build_args); });

  auto search_args = std::make_shared<kb_search_args>();
  auto* search = kb->add_subcommand("search", "Search the knowledge base");
  search->add_option("query", search_args->query, "What to look for")->required();
  search->add_option("--k,-k", search_args->k, "Number of passages")
    ->check(CLI::Range(1, static_cast<int>(r::retriever::max_k)));
  search->add_option("--index", search_args->index, index_help);
  search->add_option("--mode", search_args->mode, "hybrid (default), dense or bm25");
  search->add_flag("--json", search_args->json,
                   R"(Print {"results": [{"score", "source", "heading", "text", "attribution"}]})");
  search->callback([search_args] { run_search(*search_args); });
}

}  // namespace sof::cli
