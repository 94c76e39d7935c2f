#pragma once
// JSON Web Key Sets (RFC 7517): the identity provider's RS256 public keys,
// by key id. Loaded from a file or fetched over HTTP(S) with libcurl.
#include "transport/auth/jwt.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace sof::auth::detail {

/// kid -> RSA public key. Immutable once built; shared between threads.
using key_set = std::map<std::string, pkey_ptr, std::less<>>;

/// Parses a JWKS document. Keys that are not RSA signing keys (EC, "enc",
/// another alg) or are unusable (no kid, weak modulus) are skipped with a
/// log line; a document that is not {"keys": [...]} is an error. `origin`
/// names the file or URL in messages.
caf::expected<key_set> parse_jwks(std::string_view document, const std::string& origin);

caf::expected<key_set> load_jwks_file(const std::string& path);

/// GETs `url` (http or https only, 5 s timeout, 1 MiB cap) and parses it.
caf::expected<key_set> fetch_jwks_url(const std::string& url);

}  // namespace sof::auth::detail
