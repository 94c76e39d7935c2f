#pragma once
// The list_sessions page cursor: the (created_ms, id) key of the last row
// served, so the next page starts strictly after it (keyset pagination
// stays correct while sessions are added, unlike OFFSET). Encoded as
// "<created_ms>.<hex of id>" so it is URL-safe whatever the id contains.
#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace sof::store {

struct page_key {
  int64_t created_ms = 0;
  std::string id;
};

std::string encode_cursor(const page_key& key);

/// errc::invalid_argument for anything encode_cursor cannot have produced.
caf::expected<page_key> decode_cursor(std::string_view cursor);

}  // namespace sof::store
