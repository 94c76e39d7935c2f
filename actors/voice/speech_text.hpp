#pragma once
// Preparing the interviewer's text for synthesis: refuse what cannot be
// spoken, clean what can, and cut long text into sentence-sized pieces so
// the first audio leaves after one sentence, not after the whole paragraph,
// and barge-in can say which sentences were never heard.
#include <caf/expected.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sof::voice {

/// Splits `text` into pieces of at most `max_piece_chars`, at sentence ends
/// where possible, then at clause boundaries, then at spaces. Errors: empty
/// or whitespace-only text, text longer than `max_text_chars`, invalid UTF-8.
caf::expected<std::vector<std::string>>
split_for_speech(std::string_view text, std::size_t max_text_chars,
                 std::size_t max_piece_chars = 240);

/// The first `fraction` (0..1) of a piece's words, and the rest.
std::pair<std::string, std::string> split_at_fraction(std::string_view piece,
                                                      double fraction);

}  // namespace sof::voice
