#pragma once
// `sof kb build`: corpus folders in, a complete index directory out.
// The index is written to a sibling temporary directory and renamed into
// place at the end, so a failed or interrupted build never leaves a
// half-written index where the old one was.
#include "retrieval/chunker.hpp"
#include "retrieval/index_store.hpp"
#include "retrieval/ingest.hpp"
#include "retrieval/lsa_embedder.hpp"
#include "retrieval/remote_embedder.hpp"
#include "retrieval/vector_index.hpp"

#include <caf/expected.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <optional>
#include <vector>

namespace sof::retrieval {

struct build_options {
  std::vector<std::filesystem::path> corpus_dirs;
  std::filesystem::path index_dir;
  chunk_options chunking;
  lsa_options lsa;
  index_kind kind = index_kind::automatic;
  std::optional<remote_embedder::config> remote;  // set: embed remotely instead of LSA
  bool progress = true;                           // sof::progress bars on stderr
};

struct build_summary {
  index_manifest manifest;
  std::vector<ingest_warning> warnings;  // one per skipped file
  std::size_t vocabulary = 0;            // LSA features
};

caf::expected<build_summary> build_index(const build_options& opts);

class retriever;

/// The index in `dir` (empty: default_index_dir()), built from the default
/// corpus first if there is none yet (under a second; a note on stderr).
caf::expected<std::shared_ptr<const retriever>>
open_or_build(const std::string& dir = {});

}  // namespace sof::retrieval
