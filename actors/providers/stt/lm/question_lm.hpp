#pragma once
// Question-biased recognition: a small trigram built from what a session's
// question makes likely (its prompt, rubric points and phrasings, the
// interviewer's follow-ups, the knowledge-base passages retrieved for it),
// interpolated by the decoder with the domain and general models. Built at
// session start in milliseconds and cached per content: every session of
// the same question (and every restart of its recogniser) reuses the file.
#include <caf/expected.hpp>

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace sof::stt {

/// The text a session's recogniser is biased towards.
struct question_bias {
  std::string id;                    // question id, for logs
  std::vector<std::string> written;  // prompt, points, phrasings, follow-ups
  std::vector<std::string> passages; // knowledge-base passages for it
};

struct question_lm {
  std::string arpa_path;        // ARPA text in the cache directory
  std::set<std::string> words;  // its vocabulary (for the dictionary)
  std::size_t sentences = 0;
  bool from_cache = false;
  double build_ms = 0;
};

/// Builds (or finds in the cache) the question's model. An empty bias is
/// an error value (nothing to bias towards), as is an unwritable cache.
/// Thread-safe; blocking (file I/O): call it from a provider's own thread.
caf::expected<question_lm> build_question_lm(const question_bias& bias);

/// Where question models are cached ($SOF_STT_CACHE, else
/// <tmp>/sof-stt-cache).
std::string question_lm_cache_dir();

}  // namespace sof::stt
