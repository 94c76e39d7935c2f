#pragma once
// Written text as a speaker says it, for language-model training at run
// time: lower-case words, numbers spelled out ("2.5k" -> "two point five
// thousand", "p99" -> "p ninety nine"), one sentence a vector. The same
// rules as tools/lm/build_domain_lm.py, which builds the domain model at
// build time, so both models see the same words. Pure: no CAF, no decoder.
#include <string>
#include <string_view>
#include <vector>

namespace sof::stt::lm {

using sentence = std::vector<std::string>;

/// The non-empty pieces of `s` between `sep` characters.
std::vector<std::string> split_on(std::string_view s, char sep);

/// "1,000" -> "one thousand"; nullopt-like empty string for non-numbers.
std::string spell_number(std::string_view digits);

/// Splits prose into spoken sentences. A sentence containing code,
/// identifiers or symbols is dropped whole (its words would teach the model
/// things nobody says); sentences shorter than `min_words` are dropped.
std::vector<sentence> spoken_sentences(std::string_view text,
                                       std::size_t min_words = 2);

}  // namespace sof::stt::lm
