#pragma once
// Strict UTF-8 (RFC 3629): no overlong forms, surrogates or code points past
// U+10FFFF, which JSON encoders and strict decoders refuse as well. The one
// check for text from outside: wire messages, configuration files,
// transcripts and speech from providers.
#include <cstddef>
#include <string_view>

namespace sof::text {

/// Byte offset of the first invalid or truncated sequence; npos when valid.
std::size_t invalid_utf8_at(std::string_view s);

inline bool valid_utf8(std::string_view s) {
  return invalid_utf8_at(s) == std::string_view::npos;
}

}  // namespace sof::text
