#include "base/text/utf8.hpp"

namespace sof::text {

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      lo = c == 0xe0 ? 0xa0 : lo;  // overlong below U+0800
      hi = c == 0xed ? 0x9f : hi;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      lo = c == 0xf0 ? 0x90 : lo;  // overlong below U+10000
      hi = c == 0xf4 ? 0x8f : hi;  // past U+10FFFF
    } else {
      return i;  // continuation byte, overlong lead (c0, c1), or f5..ff
    }
    if (i + n > s.size())
      return i;
    auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi)
      return i;
    for (std::size_t k = 2; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
        return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace sof::text
