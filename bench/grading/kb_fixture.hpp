#pragma once
// Opens the knowledge-base index for the grading tools: `--index DIR` if
// given, otherwise the shipped corpus indexed into a scratch directory (so
// a fresh clone can run them without `sof kb build`).
#include "actors/common/errors.hpp"
#include "config/settings.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sof::grading::bench {

inline std::shared_ptr<const retrieval::retriever> open_kb(const std::string& index_dir) {
  std::filesystem::path dir = index_dir;
  if (dir.empty()) {
    dir = std::filesystem::temp_directory_path() /
          ("sof-grading-kb-" + std::to_string(::getpid()));
    retrieval::build_options opts;
    opts.corpus_dirs = {retrieval::default_corpus_dir()};
    opts.index_dir = dir;
    opts.progress = false;
    auto built = retrieval::build_index(opts);
    if (!built)
      throw std::runtime_error(sof::describe(built.error()));
  }
  auto kb = retrieval::retriever::open(dir);
  if (!kb)
    throw std::runtime_error(sof::describe(kb.error()));
  if (index_dir.empty())
    std::filesystem::remove_all(dir);  // everything is loaded in memory now
  return *kb;
}

/// The recogniser's pronunciation dictionaries at their default places
/// ([stt.pocketsphinx] and the domain dictionary), for matching by sound.
inline std::vector<std::string> recogniser_dictionaries() {
  const config::settings defaults;
  return {defaults.stt.pocketsphinx.model_dir + "/cmudict-en-us.dict",
          std::string{SOF_DATA_DIR} + "/stt/domain.dict"};
}

}  // namespace sof::grading::bench
