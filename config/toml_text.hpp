#pragma once
// Parses TOML text into a document, turning toml11's exceptions into one
// errc::invalid_config error that names the origin (file) and the position.
#include "actors/common/errors.hpp"

#include <toml.hpp>

#include <sstream>
#include <string>

namespace sof::config {

inline caf::expected<toml::value> parse_toml(const std::string& text,
                                             const std::string& origin) {
  try {
    std::istringstream in{text};
    return toml::parse(in, origin);
  } catch (const std::exception& e) {
    return make_error(errc::invalid_config, origin + ": " + e.what());
  }
}

}  // namespace sof::config
