#pragma once
// Word error rate and transcript normalisation, used by tests, benchmarks
// and the lab tools to compare a transcript with a reference.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sof::text {

/// Lower case, punctuation removed (apostrophes inside words kept), split on
/// white space.
std::vector<std::string> normalize_words(std::string_view text);

struct wer_result {
  std::size_t substitutions = 0;
  std::size_t deletions = 0;
  std::size_t insertions = 0;
  std::size_t reference_words = 0;
  std::size_t errors() const { return substitutions + deletions + insertions; }
  /// Accumulates counts, for a corpus-level rate over many utterances.
  wer_result& operator+=(const wer_result& other) {
    substitutions += other.substitutions;
    deletions += other.deletions;
    insertions += other.insertions;
    reference_words += other.reference_words;
    return *this;
  }
  /// errors / reference words; 0 for an empty reference and empty hypothesis.
  double rate() const;
};

/// Levenshtein alignment over normalised words.
wer_result word_error_rate(std::string_view reference,
                           std::string_view hypothesis);

/// Number of words (normalised).
std::size_t count_words(std::string_view text);

}  // namespace sof::text
