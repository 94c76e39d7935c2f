#pragma once
// Authentication for the hosted service: every request carries
// "Authorization: Bearer <credential>", where the credential is a JWT from
// the tenant's identity provider (RS256, keys from a JWKS), a JWT minted
// with a shared secret (HS256, development and server-to-server), or a
// static API key. verify() turns it into the tenant and user the request
// acts for; any failure is an error value the server maps to HTTP 401.
//
// Errors say briefly why ("token expired", "unknown key id") and never
// echo the credential: they end up in logs and responses.
#include <caf/expected.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sof::auth {

struct api_key {
  std::string key;
  std::string tenant;
  std::string user;
};

struct auth_settings {
  std::string issuer;       // required iss for JWTs ("" = do not check)
  std::string audience;     // required in aud (string or array) ("" = do not check)
  std::string jwks_file;    // RS256 keys from a JWKS file
  std::string jwks_url;     // or fetched with libcurl, cached
  int jwks_cache_s = 600;   // refetch after this; an unknown kid refetches at most every 30 s
  std::string hs256_secret; // development / server-to-server; "" disables HS256
  std::string tenant_claim = "tenant";  // e.g. "org_id" or "https://example.com/tenant"
  std::string user_claim = "sub";
  std::vector<api_key> api_keys;
  int leeway_s = 60;
};

struct identity {
  std::string tenant, user, method;  // method: "jwt-rs256" | "jwt-hs256" | "api-key"
  int64_t expires_at = 0;            // the JWT's exp; 0 for API keys
};

/// The largest credential accepted: bounds parsing work per request.
inline constexpr std::size_t max_credential_bytes = 8 * 1024;

/// How often an unknown kid may trigger a JWKS refetch.
inline constexpr int64_t jwks_refetch_interval_s = 30;

/// True for a tenant id we can use as a storage key: [A-Za-z0-9._-]{1,64},
/// and not "." or "..".
bool valid_tenant(std::string_view tenant);

class verifier {
 public:
  /// Validates the settings and loads jwks_file now (a clear error if it is
  /// unreadable or holds no usable key). A jwks_url is fetched on first use.
  static caf::expected<std::shared_ptr<verifier>> make(auth_settings s);

  /// `credential` is what followed "Bearer " (a JWT or an API key); `now_s`
  /// is the Unix time, also the clock of the JWKS cache. Thread-safe.
  caf::expected<identity> verify(std::string_view credential, int64_t now_s);

  ~verifier();
  verifier(const verifier&) = delete;
  verifier& operator=(const verifier&) = delete;

 private:
  struct state;
  explicit verifier(std::unique_ptr<state> st);
  std::unique_ptr<state> state_;
};

/// Mints an HS256 JWT (for `sof token` and tests).
std::string mint_hs256(const std::string& secret, const nlohmann::json& claims);

/// Extracts the credential from an Authorization header value ("Bearer X"),
/// case-insensitive scheme; nullopt otherwise.
std::optional<std::string> bearer(std::string_view authorization_header);

}  // namespace sof::auth
