#include "store/cursor.hpp"

#include "actors/common/errors.hpp"

#include <charconv>

namespace sof::store {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;  // upper case is never produced, so it is not accepted either
}

caf::error malformed() {
  // The cursor is opaque to clients: no detail beyond "it is not ours".
  return make_error(errc::invalid_argument, "store: malformed page cursor");
}

}  // namespace

std::string encode_cursor(const page_key& key) {
  std::string out = std::to_string(key.created_ms);
  out += '.';
  for (unsigned char c : key.id) {
    out += hex_digits[c >> 4];
    out += hex_digits[c & 0xf];
  }
  return out;
}

caf::expected<page_key> decode_cursor(std::string_view cursor) {
  auto dot = cursor.find('.');
  if (dot == std::string_view::npos || dot == 0)
    return malformed();
  page_key key;
  auto ms = cursor.substr(0, dot);
  auto [end, ec] = std::from_chars(ms.data(), ms.data() + ms.size(), key.created_ms);
  if (ec != std::errc{} || end != ms.data() + ms.size())
    return malformed();
  auto hex = cursor.substr(dot + 1);
  if (hex.empty() || hex.size() % 2 != 0)
    return malformed();
  key.id.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return malformed();
    key.id += static_cast<char>((hi << 4) | lo);
  }
  return key;
}

}  // namespace sof::store
