#include "retrieval/paths.hpp"

#include <cstdlib>

namespace sof::retrieval {

namespace {
const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}
}  // namespace

std::filesystem::path default_index_dir() {
  if (auto v = env("SOF_KB_INDEX"))
    return v;
  if (auto v = env("SOF_HOME"))
    return std::filesystem::path(v) / "kb";
  if (auto v = env("XDG_DATA_HOME"))
    return std::filesystem::path(v) / "sof" / "kb";
  if (auto v = env("HOME"))
    return std::filesystem::path(v) / ".local" / "share" / "sof" / "kb";
  return std::filesystem::path("sof-kb");
}

std::filesystem::path default_corpus_dir() {
  return std::filesystem::path(SOF_SHARED_DIR) / "kb";
}

}  // namespace sof::retrieval
