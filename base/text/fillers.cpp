#include "base/text/fillers.hpp"

#include "base/text/wer.hpp"

#include <array>
#include <algorithm>
#include <vector>

namespace sof::text {
namespace {

// "like" is deliberately not here. As a filler it is set off by pauses
// ("it's, like, a queue"), which speech-to-text does not write down: without
// punctuation "we like Redis" and "it's like a queue" look the same, and
// counting every "like" would punish candidates for comparisons.

// Hesitations by their spelling with repeated letters collapsed ("ummm" ->
// "um", "hmm" -> "hm"), mapped to the name reported.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> hesitations{{
  {"um", "um"}, {"uhm", "um"}, {"uh", "uh"}, {"er", "er"},
  {"ah", "ah"}, {"erm", "erm"}, {"hm", "hmm"},
}};

constexpr std::array<std::string_view, 2> single_words{"basically", "actually"};
constexpr std::array<std::string_view, 2> phrases{"you know", "i mean"};
constexpr std::array<std::string_view, 2> hedges{"kind of", "sort of"};

// Before "kind of" / "sort of" these make them nouns ("what kind of index"),
// not hedges ("it's kind of slow").
constexpr std::array<std::string_view, 20> determiners{
  "a", "an", "the", "this", "that", "these", "those", "what", "which", "any",
  "some", "every", "each", "one", "same", "different", "other", "another",
  "no", "whatever"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view w) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

std::string collapse_repeats(std::string_view w) {
  std::string out;
  for (char c : w)
    if (out.empty() || out.back() != c)
      out += c;
  return out;
}

// The reported name of a hesitation, or "" when `w` is not one.
std::string_view hesitation_name(std::string_view w) {
  const auto base = collapse_repeats(w);
  for (const auto& [spelling, name] : hesitations)
    if (base == spelling)
      return name;
  return {};
}

}  // namespace

bool is_hesitation(std::string_view word) { return !hesitation_name(word).empty(); }

std::map<std::string, uint32_t> count_fillers(std::string_view text) {
  const auto words = normalize_words(text);
  std::map<std::string, uint32_t> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i];
    if (i + 1 < words.size()) {
      const auto pair = w + ' ' + words[i + 1];
      const bool hedge = in(hedges, pair) && !(i > 0 && in(determiners, words[i - 1]));
      if (in(phrases, pair) || hedge) {
        ++out[pair];
        ++i;
        continue;
      }
    }
    if (in(single_words, w)) {
      ++out[w];
      continue;
    }
    if (auto name = hesitation_name(w); !name.empty())
      ++out[std::string{name}];
  }
  return out;
}

uint32_t total_fillers(const std::map<std::string, uint32_t>& fillers) {
  uint32_t n = 0;
  for (const auto& [_, c] : fillers)
    n += c;
  return n;
}

}  // namespace sof::text
