#pragma once
// Transcript -> timed sentences, and the surface features of speech the
// rubric engine and the communication grader need: is a sentence an
// explanation or a bare list of nouns, how many filler words, which
// structure markers ("first", "trade-off", "to recap").
#include "actors/grading/coverage.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sof::grading {

/// One sentence (or clause of a run-on line) with the time it was said,
/// interpolated from its transcript line by word position.
struct sentence {
  std::string text;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::size_t words = 0;
  bool notes = false;  // from a statement of written notes
};

/// Longest sentence kept whole. Speech-to-text output often has no
/// punctuation at all; cutting run-ons keeps one piece of evidence about
/// one idea instead of a whole turn matching every rubric point a little.
inline constexpr std::size_t max_sentence_words = 32;

/// Splits every line at . ? ! ; (and run-ons at max_sentence_words), with
/// times interpolated across the line. Empty pieces are dropped.
std::vector<sentence> split_sentences(const std::vector<transcript_line>& lines);

/// 0..1: how much `text` reads as an explanation rather than a list of
/// buzzwords. Lists of nouns have almost no function words and no
/// connectives (because, so, when, if, which, then ...); explanations do.
/// Short fragments are discounted too. See docs/grading.md.
/// `grammar_share`: the share of function words at which text reads as
/// a full explanation; `no_connective`: the factor without a connective.
/// Prose: 0.30 and 0.75; statements of notes are read with the engine's
/// notes values (terse by form, not by lack of content).
double explanation_factor(std::string_view text, double grammar_share = 0.30,
                          double no_connective = 0.75);

/// True when `text` contains a causal/conditional connective.
bool has_connective(std::string_view text);

/// Distinct structure markers in the text ("first", "second", "then",
/// "next", "finally", "trade-off", "to recap", "in summary" ...).
std::vector<std::string> structure_markers(std::string_view text);

/// Text read as speech (`--text FILE`, the grading sets): one transcript
/// line per sentence, timed at `wpm` words per minute with `gap_ms` of
/// silence between sentences. Notes (headings, bullets) are read statement
/// by statement (notes.hpp) unless `read_notes` is false (the old reading,
/// kept to measure what it changed).
std::vector<transcript_line> transcript_from_text(std::string_view text, double wpm = 150,
                                                  int64_t gap_ms = 300, bool read_notes = true);

}  // namespace sof::grading
