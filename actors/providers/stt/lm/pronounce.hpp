#pragma once
// Pronunciations (CMU phone set) for words the decoder's dictionary lacks,
// from espeak-ng's phoneme mnemonics: the same mapping as the build-time
// domain dictionary (tools/lm/build_domain_lm.py), used at run time for the
// words of a question.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sof::stt::lm {

/// espeak-ng `-x` mnemonics of one word -> CMU phones ("r'edIs" -> "R EH D IH S").
std::string espeak_to_cmu(std::string_view mnemonic);

/// Runs espeak-ng once for all `words` (lower-case [a-z'] only; others are
/// skipped) and maps each answer to CMU phones. Words espeak-ng cannot
/// answer are absent from the result; a missing espeak-ng gives an empty map.
/// Blocking (a child process): call it from a provider's own thread.
std::map<std::string, std::string>
espeak_pronunciations(const std::vector<std::string>& words);

}  // namespace sof::stt::lm
