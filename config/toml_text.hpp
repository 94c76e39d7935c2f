#pragma once
// Parses TOML text into a document, turning toml11's exceptions into one
// errc::invalid_config error that names the origin (file) and the position.
//
// Two checks run before toml11 sees the text, because toml11 3.7 (Debian 12)
// fails on them in ways an exception cannot report (found by fuzz_settings,
// tests/fuzz/regressions/settings):
//  - invalid UTF-8 in a string makes its error path read past its buffer;
//    TOML documents must be UTF-8 anyway, so refuse them up front;
//  - arrays and inline tables are parsed recursively, one stack frame per
//    level: a few KiB of '[' overflow the stack. No configuration nests deeper
//    than a few levels; refuse more than max_toml_depth.
#include "actors/common/errors.hpp"
#include "base/text/utf8.hpp"

#include <toml.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace sof::config {

inline constexpr int max_toml_depth = 32;

namespace detail {

/// The deepest nesting of arrays and inline tables, skipping strings and
/// comments. A bound for refusing input, not a parser: table headers count
/// as one or two levels, which is harmless.
inline int nesting_depth(std::string_view s) {
  int depth = 0, deepest = 0;
  std::size_t i = 0;
  auto skip_string = [&](char q) {
    bool multi = s.substr(i, 3) == std::string(3, q);
    i += multi ? 3 : 1;
    while (i < s.size()) {
      if (q == '"' && s[i] == '\\') {
        i += 2;
        continue;
      }
      if (!multi && s[i] == '\n')
        return;
      if (s[i] == q && (!multi || s.substr(i, 3) == std::string(3, q))) {
        i += multi ? 3 : 1;
        return;
      }
      ++i;
    }
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '#') {
      while (i < s.size() && s[i] != '\n')
        ++i;
    } else if (c == '"' || c == '\'') {
      skip_string(c);
    } else {
      if (c == '[' || c == '{')
        deepest = std::max(deepest, ++depth);
      else if ((c == ']' || c == '}') && depth > 0)
        --depth;
      ++i;
    }
  }
  return deepest;
}

}  // namespace detail

inline caf::expected<toml::value> parse_toml(const std::string& text,
                                             const std::string& origin) {
  if (auto at = text::invalid_utf8_at(text); at != std::string_view::npos) {
    auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return make_error(errc::invalid_config,
                      origin + ": line " + std::to_string(line)
                        + ": not UTF-8 (TOML files must be UTF-8)");
  }
  if (detail::nesting_depth(text) > max_toml_depth)
    return make_error(errc::invalid_config,
                      origin + ": arrays or inline tables nested deeper than "
                        + std::to_string(max_toml_depth) + " levels");
  try {
    std::istringstream in{text};
    return toml::parse(in, origin);
  } catch (const std::exception& e) {
    return make_error(errc::invalid_config, origin + ": " + e.what());
  }
}

}  // namespace sof::config
