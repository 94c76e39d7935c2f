#pragma once
// The project's one filler list: what the delivery part of the scorecard
// counts, what the candidate is shown, and what grading discounts.
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

/// A hesitation sound of the list above, in any stretched spelling
/// ("um", "ummm", "uh", "hmm"); `word` is lower case.
bool is_hesitation(std::string_view word);

/// Sum of the counts.
uint32_t total_fillers(const std::map<std::string, uint32_t>& fillers);

}  // namespace sof::text
