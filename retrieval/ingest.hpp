#pragma once
// Finds Markdown, plain-text and PDF files under corpus folders (recursively),
// reads them, attaches each folder's attribution (SOURCE / LICENSE files) and
// chunks them into passages. Unreadable or corrupt files are skipped with a
// warning and counted; a corpus with nothing to index is an error.
#include "retrieval/chunker.hpp"
#include "retrieval/passage.hpp"

#include <caf/expected.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sof::retrieval {

struct ingest_warning {
  std::string file;
  std::string reason;
};

struct ingest_result {
  std::vector<passage> passages;
  std::size_t files_indexed = 0;
  std::size_t files_skipped = 0;
  std::vector<ingest_warning> warnings;
};

struct ingest_options {
  chunk_options chunking;
  /// Called after each file (done, total, file name); drives progress bars.
  std::function<void(std::size_t, std::size_t, const std::string&)> on_file;
};

/// The files `ingest` would read, sorted (metadata files excluded).
std::vector<std::filesystem::path> list_corpus_files(const std::filesystem::path& root);

/// Reads every page of a PDF as UTF-8 text, pages separated by '\f'.
caf::expected<std::string> read_pdf_text(const std::filesystem::path& file);

/// Attribution line for `file` from the nearest SOURCE*/LICENSE* files in its
/// folder or a parent folder up to `root`; also returns a per-file title
/// when SOURCE names one. Empty strings when nothing is found.
struct attribution_info {
  std::string attribution;
  std::string title;
};
attribution_info find_attribution(const std::filesystem::path& file,
                                  const std::filesystem::path& root);

caf::expected<ingest_result> ingest(const std::vector<std::filesystem::path>& corpus_dirs,
                                    const ingest_options& opts = {});

/// Replaces bytes that are not valid UTF-8 with '?', so passages are always
/// safe to serialise as JSON.
std::string sanitize_utf8(std::string_view in);

}  // namespace sof::retrieval
