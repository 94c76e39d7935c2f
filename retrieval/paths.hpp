#pragma once
// Where the knowledge base lives by default. The index is per user, not per
// build tree, so every command (kb build, kb search, serve, interview) finds
// the same one:
//   --index DIR                  (every command accepts it), else
//   $SOF_KB_INDEX, else
//   $SOF_HOME/kb, else
//   $XDG_DATA_HOME/sof/kb, else
//   ~/.local/share/sof/kb.
// The default corpus is the shared kb/ folder next to the repository.
#include <filesystem>

namespace sof::retrieval {

std::filesystem::path default_index_dir();
std::filesystem::path default_corpus_dir();

}  // namespace sof::retrieval
