#pragma once
// Text helpers for the follow-up policy: how the interviewer hooks a question
// onto what the candidate just said, turns a rubric point into a narrower
// hint, and recognises "I'm not sure". Pure string functions, deterministic:
// any variation is chosen by a stable hash, never by a random source, so the
// same turn always produces the same words (tests and journal replay rely on
// it).
#include "actors/grading/coverage.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sof::followup {

/// Lower-cased alphanumeric tokens (apostrophes and hyphens kept inside).
std::vector<std::string> tokenize(std::string_view text);

/// Words spoken in the turn (whitespace separated).
int count_words(std::span<const grading::transcript_line> lines);

/// "the payment service" style noun phrase from the turn that shares a
/// content word with `target_text`, or "" when there is nothing to hook on.
/// The determiner is kept ("the", "a") or re-addressed ("our" -> "your") so
/// the phrase reads naturally after "You mentioned".
std::string hook_phrase(std::span<const grading::transcript_line> lines,
                        std::string_view target_text);

/// Number of distinct content stems the turn shares with `target_text`.
int overlap(std::span<const grading::transcript_line> lines,
            std::string_view target_text);

/// A narrower question built from a rubric point's description, e.g.
/// "Handles payment completing after the hold expired: ..." ->
/// "how would you handle payment completing after the hold expired?".
/// "" when the description does not start with a recognisable verb.
std::string narrow_question(std::string_view point_description);

/// The candidate says they don't know / are not sure / are stuck.
bool sounds_unsure(std::span<const grading::transcript_line> lines);

/// FNV-1a: stable across runs and platforms, unlike std::hash.
uint64_t stable_hash(std::string_view s);

/// "five", "a couple of", "ten", "12": how a speaker says whole minutes.
std::string spoken_minutes(double seconds);

/// Lower-cased, whitespace-collapsed text, for "was this already asked".
std::string normalize(std::string_view text);

}  // namespace sof::followup
