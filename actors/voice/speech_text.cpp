#include "actors/voice/speech_text.hpp"

#include "actors/common/errors.hpp"
#include "base/text/utf8.hpp"

#include <algorithm>
#include <cmath>

namespace sof::voice {
namespace {

// Control characters (and tabs/newlines) become spaces; runs collapse.
std::string normalise(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool space = c < 0x20 || c == 0x7f || c == ' ';
    if (space) {
      if (!out.empty() && out.back() != ' ')
        out.push_back(' ');
    } else {
      out.push_back(ch);
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

bool sentence_end(std::string_view s, std::size_t i) {
  char c = s[i];
  return (c == '.' || c == '?' || c == '!' || c == ';')
         && (i + 1 == s.size() || s[i + 1] == ' ');
}

// Cuts one over-long sentence at the last comma, else the last space,
// before the limit.
void cut_long(std::string_view s, std::size_t max, std::vector<std::string>& out) {
  while (s.size() > max) {
    auto window = s.substr(0, max);
    auto at = window.rfind(", ");
    if (at == std::string_view::npos || at < max / 3)
      at = window.rfind(' ');
    std::size_t cut = at == std::string_view::npos || at == 0 ? max : at + 1;
    // Never split a UTF-8 sequence.
    while (cut < s.size() && (static_cast<unsigned char>(s[cut]) >> 6) == 0x2)
      --cut;
    auto head = s.substr(0, cut);
    while (!head.empty() && head.back() == ' ')
      head.remove_suffix(1);
    out.emplace_back(head);
    s.remove_prefix(cut);
    while (!s.empty() && s.front() == ' ')
      s.remove_prefix(1);
  }
  if (!s.empty())
    out.emplace_back(s);
}

}  // namespace

caf::expected<std::vector<std::string>>
split_for_speech(std::string_view text, std::size_t max_text_chars,
                 std::size_t max_piece_chars) {
  if (!text::valid_utf8(text))
    return make_error(errc::invalid_argument, "text to speak is not valid UTF-8");
  std::size_t chars = 0;  // code points, not bytes
  for (char c : text)
    chars += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  if (chars > max_text_chars)
    return make_error(errc::invalid_argument,
                      "text to speak is " + std::to_string(chars)
                        + " characters; the limit is "
                        + std::to_string(max_text_chars)
                        + " (tts.max_text_chars)");
  auto clean = normalise(text);
  if (clean.empty())
    return make_error(errc::invalid_argument, "nothing to speak: the text is empty");
  std::vector<std::string> out;
  std::size_t start = 0;
  std::string_view all{clean};
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!sentence_end(all, i))
      continue;
    cut_long(all.substr(start, i + 1 - start), max_piece_chars, out);
    start = i + 1;
    while (start < all.size() && all[start] == ' ')
      ++start;
    i = start == 0 ? 0 : start - 1;
  }
  if (start < all.size())
    cut_long(all.substr(start), max_piece_chars, out);
  return out;
}

std::pair<std::string, std::string> split_at_fraction(std::string_view piece,
                                                      double fraction) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < piece.size()) {
    while (i < piece.size() && piece[i] == ' ')
      ++i;
    auto j = piece.find(' ', i);
    if (j == std::string_view::npos)
      j = piece.size();
    if (j > i)
      words.push_back(piece.substr(i, j - i));
    i = j;
  }
  auto n = static_cast<std::size_t>(
    std::floor(std::clamp(fraction, 0.0, 1.0) * words.size()));
  std::pair<std::string, std::string> out;
  for (std::size_t k = 0; k < words.size(); ++k) {
    auto& side = k < n ? out.first : out.second;
    if (!side.empty())
      side += ' ';
    side += words[k];
  }
  return out;
}

}  // namespace sof::voice
