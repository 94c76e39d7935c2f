#pragma once
// The on-disk layout of a knowledge-base index (one directory):
//   manifest.json   format name + version, embedder, index kind, stats, and a
//                   checksum of every other file (written last: its presence
//                   marks a complete index)
//   passages.json   the passages, in vector-id order
//   embedder.bin    the learned LSA embedder (absent for a remote embedder)
//   vectors.faiss   the FAISS index
// Any change to these files' meaning bumps `index_format_version`; an index
// of another version, a missing file or a checksum mismatch is reported with
// the command that rebuilds it.
#include "retrieval/passage.hpp"

#include <caf/expected.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sof::retrieval {

// 2: terms stemmed by Snowball English (base/text/stem), not a hand-written
// suffix stripper; an index of version 1 has other terms and is rebuilt.
inline constexpr std::uint32_t index_format_version = 2;
inline constexpr const char* index_format_name = "sof-kb-index";

struct index_manifest {
  std::uint32_t format_version = index_format_version;
  std::string embedder = "lsa";       // "lsa" | "remote"
  std::size_t dims = 0;
  std::string remote_url;             // remote embedder only
  std::string remote_model;
  std::string index_kind = "flat";
  std::size_t passages = 0;
  std::size_t files_indexed = 0;
  std::size_t files_skipped = 0;
  std::vector<std::string> corpus;    // absolute corpus directories
  std::string created;                // ISO 8601 UTC
  double build_seconds = 0;
  std::map<std::string, std::string> checksums;  // file name -> FNV-1a 64 hex
};

/// "sof kb build --index DIR": the command that repairs a bad index.
std::string rebuild_hint(const std::filesystem::path& dir);

caf::expected<std::string> file_checksum(const std::filesystem::path& file);

caf::error write_passages(const std::filesystem::path& file, const std::vector<passage>& ps);
caf::expected<std::vector<passage>> read_passages(const std::filesystem::path& file);

/// Fills in checksums of the files present in `dir`, then writes manifest.json.
caf::error write_manifest(const std::filesystem::path& dir, index_manifest m);

/// Reads manifest.json, checks format and version, verifies every checksum.
/// An index of an older format version is errc::unsupported (rebuild it);
/// a newer one, or a bad file, errc::corrupt_data.
caf::expected<index_manifest> read_manifest(const std::filesystem::path& dir);

}  // namespace sof::retrieval
