#pragma once
// Filler words in a transcript, for the delivery part of the scorecard.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sof::text {

/// Fillers in `text`, by filler, only those that occur: the hesitations um,
/// uh, er, ah, erm, hmm (stretched spellings such as "umm" or "hmmm" count
/// as their base form) and the phrases "you know", "i mean", "kind of",
/// "sort of", "basically", "actually". "kind of" and "sort of" after a
/// determiner ("what kind of store", "a sort of queue") are not fillers.
/// Words are normalised as by normalize_words (case, punctuation).
std::map<std::string, uint32_t> count_fillers(std::string_view text);

/// Sum of the counts.
uint32_t total_fillers(const std::map<std::string, uint32_t>& fillers);

}  // namespace sof::text
