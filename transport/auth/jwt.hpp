#pragma once
// The encoding and crypto primitives under JWT verification, kept apart
// from policy (which claims, which keys) so each is small and testable.
// Internal to sof_auth: OpenSSL types stay out of auth.hpp.
#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sof::auth::detail {

/// base64url without padding (RFC 7515 section 2).
std::string base64url_encode(std::string_view bytes);

/// Strict base64url: the URL-safe alphabet only, no padding, no whitespace,
/// and canonical (unused trailing bits zero), so one token has exactly one
/// spelling. `allow_padding` tolerates trailing '=' (some JWKS publishers
/// pad n and e).
std::optional<std::string> base64url_decode(std::string_view text,
                                            bool allow_padding = false);

/// A JWT split and decoded; signing_input is "header.payload" as sent.
struct jwt_parts {
  nlohmann::json header;
  nlohmann::json payload;
  std::string signature;
  std::string_view signing_input;
};

/// True when `credential` has the shape of a compact JWS (exactly two dots);
/// anything else is treated as an API key.
bool looks_like_jwt(std::string_view credential);

/// Decodes the three parts; header and payload must be JSON objects. The
/// error says which part is malformed, never what it contained.
caf::expected<jwt_parts> parse_jwt(std::string_view token);

using sha256_digest = std::array<unsigned char, 32>;

sha256_digest sha256(std::string_view bytes);
sha256_digest hmac_sha256(std::string_view key, std::string_view data);

/// Constant-time comparison (CRYPTO_memcmp); false when lengths differ.
bool equal_ct(std::string_view a, std::string_view b);

struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using pkey_ptr = std::shared_ptr<EVP_PKEY>;

/// An RSA public key from the big-endian modulus and exponent of a JWK.
caf::expected<pkey_ptr> rsa_public_key(std::string_view n, std::string_view e);

/// RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256").
bool rs256_verify(EVP_PKEY* key, std::string_view data, std::string_view signature);

}  // namespace sof::auth::detail
