#pragma once
// Written answers arrive as notes as often as prose: people paste what they
// typed while thinking, with headings, bullets and arrows. Read as speech,
// a bullet list runs together into one long "sentence" with no connectives
// and is graded like a list of buzzwords. This reads notes the way an
// interviewer would: each bullet one statement, in the context of its
// heading, with the shorthand spelled out ("->" is "so", "w/" is "with").
// Pure text in, text out.

#include <string>
#include <string_view>
#include <vector>

namespace sof::grading {

/// True when `text` is notes rather than prose: at least two lines that
/// are markdown headings, bullets or numbered items.
bool looks_like_notes(std::string_view text);

/// The statements of notes, one per bullet or line, each prefixed with its
/// heading ("Failures: Redis down, so fail open."), shorthand spelled out,
/// markup (#, **, `, |) removed. Headings alone and code fences are not
/// statements. Prose comes back as one element per non-empty line.
std::vector<std::string> notes_statements(std::string_view text);

}  // namespace sof::grading
