#pragma once
// The project's one list of words that carry no design content, in two
// tiers, so retrieval, grading and the interviewer agree on what a content
// word is. Words are lower case, as tokenizers produce them.
#include <string_view>

namespace sof::text {

/// Function words ("the", "of", "would"): dropped before indexing and
/// matching. Domain words such as "system" or "data" are not here: IDF
/// already discounts them where they are common.
bool is_stopword(std::string_view word);

/// The vague verbs and discourse words of spoken answers ("get", "thing",
/// "really", "okay") and the hesitations of the filler list ("um", "uh"):
/// not stopwords for retrieval, but never what a candidate designed, so the
/// interviewer does not hook a question on them.
bool is_vague_word(std::string_view word);

/// Either of the above: not a content word.
inline bool is_function_or_vague(std::string_view word) {
  return is_stopword(word) || is_vague_word(word);
}

}  // namespace sof::text
