#include "transport/auth/auth.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "transport/auth/claims.hpp"
#include "transport/auth/jwks.hpp"
#include "transport/auth/jwt.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace sof::auth {

using namespace detail;

namespace {

caf::error reject(std::string why) {
  return make_error(errc::invalid_argument, std::move(why));
}

caf::error bad_config(std::string why) {
  return make_error(errc::invalid_config, "auth: " + std::move(why));
}

// Whether at least `interval` seconds passed since `since`. A clock that
// jumped back by more than the interval counts as due too, or a step back
// would freeze the JWKS cache until the clock caught up.
bool due(int64_t since, int64_t now, int64_t interval) {
  auto elapsed = now - since;
  return elapsed >= interval || elapsed < -interval;
}

bool printable_token(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

bool valid_tenant(std::string_view tenant) {
  if (tenant.empty() || tenant.size() > 64 || tenant == "." || tenant == "..")
    return false;
  return std::all_of(tenant.begin(), tenant.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '.' || c == '_' || c == '-';
  });
}

struct verifier::state {
  auth_settings settings;

  // API keys are kept as SHA-256 digests: every comparison is then between
  // 32-byte values, so CRYPTO_memcmp's timing says nothing about length.
  struct key_entry {
    sha256_digest digest;
    std::string tenant, user;
  };
  std::vector<key_entry> api_keys;

  // RS256 keys. `keys` is replaced whole, never mutated, so verifiers hold
  // a snapshot without a lock while a refetch installs the next one.
  struct jwks_snapshot {
    std::shared_ptr<const key_set> keys;
    int64_t fetched_at = 0;
  };
  std::mutex mtx;  // guards jwks and last_attempt
  jwks_snapshot jwks;
  std::optional<int64_t> last_attempt;
  std::mutex fetch_mtx;  // one fetch at a time; held without mtx

  bool url_mode() const { return !settings.jwks_url.empty(); }
  // In file mode `jwks` is written once, in make(), so reading it unlocked is safe.
  bool rs256_enabled() const { return url_mode() || jwks.keys != nullptr; }

  jwks_snapshot snapshot() {
    std::lock_guard guard{mtx};
    return jwks;
  }

  static pkey_ptr find(const jwks_snapshot& snap, std::string_view kid) {
    if (!snap.keys)
      return nullptr;
    auto it = snap.keys->find(kid);
    return it == snap.keys->end() ? nullptr : it->second;
  }

  bool expired(const jwks_snapshot& snap, int64_t now) const {
    return url_mode() && due(snap.fetched_at, now, settings.jwks_cache_s);
  }

  // Called with fetch_mtx held. A failed or empty fetch keeps the previous
  // keys: an identity provider hiccup should not log every user out.
  void refresh(int64_t now) {
    {
      std::lock_guard guard{mtx};
      last_attempt = now;
    }
    auto log = log::get("auth");
    auto fetched = fetch_jwks_url(settings.jwks_url);
    if (!fetched) {
      log->warn("JWKS refresh failed: {}", describe(fetched.error()));
      return;
    }
    if (fetched->empty()) {
      log->warn("JWKS {} has no usable RS256 key; keeping the previous set",
                settings.jwks_url);
      return;
    }
    log->info("JWKS {}: {} RS256 key(s) loaded", settings.jwks_url, fetched->size());
    std::lock_guard guard{mtx};
    jwks.keys = std::make_shared<const key_set>(std::move(*fetched));
    jwks.fetched_at = now;
  }

  caf::expected<pkey_ptr> key_for(std::string_view kid, int64_t now) {
    auto snap = snapshot();
    auto key = find(snap, kid);
    if (!expired(snap, now) && (key || !url_mode())) {
      if (key)
        return key;
      return reject("unknown key id");
    }
    // URL mode, and the set is stale or lacks the kid. A stale set that has
    // the kid stays usable while another request refreshes it.
    std::unique_lock fetch_lock{fetch_mtx, std::defer_lock};
    if (key) {
      if (!fetch_lock.try_lock())
        return key;
    } else {
      fetch_lock.lock();
    }
    snap = snapshot();  // another request may have refreshed meanwhile
    key = find(snap, kid);
    if (!key || expired(snap, now)) {
      // Unknown kids are attacker-controlled: without the rate limit every
      // forged token would cost us a request to the identity provider.
      auto interval = std::min<int64_t>(jwks_refetch_interval_s, settings.jwks_cache_s);
      std::optional<int64_t> last;
      {
        std::lock_guard guard{mtx};
        last = last_attempt;
      }
      if (!last || due(*last, now, interval)) {
        refresh(now);
        snap = snapshot();
        key = find(snap, kid);
      }
    }
    if (key)
      return key;
    if (!snap.keys)
      return make_error(errc::provider_failed, "signing keys unavailable");
    return reject("unknown key id");
  }

  caf::expected<identity> verify_api_key(std::string_view credential) const {
    if (api_keys.empty())
      return reject("malformed token: expected three parts");
    auto digest = sha256(credential);
    // No early exit: the time taken does not depend on which key matched.
    const key_entry* match = nullptr;
    for (const auto& k : api_keys) {
      bool same = CRYPTO_memcmp(k.digest.data(), digest.data(), digest.size()) == 0;
      match = same ? &k : match;
    }
    if (!match)
      return reject("unknown API key");
    return identity{match->tenant, match->user, "api-key", 0};
  }

  caf::expected<identity> verify_jwt(std::string_view token, int64_t now) {
    auto parts = parse_jwt(token);
    if (!parts)
      return parts.error();
    const auto& header = parts->header;
    auto alg_it = header.find("alg");
    if (alg_it == header.end() || !alg_it->is_string())
      return reject("malformed token: missing alg");
    // We implement no JWS extensions, so any critical one must fail
    // (RFC 7515 section 4.1.11).
    if (header.contains("crit"))
      return reject("unsupported critical header");
    auto alg = alg_it->get<std::string>();
    if (alg == "RS256") {
      if (!rs256_enabled())
        return reject("RS256 tokens are not accepted");
      auto kid_it = header.find("kid");
      if (kid_it == header.end() || !kid_it->is_string() || kid_it->get<std::string>().empty())
        return reject("missing key id");
      auto key = key_for(kid_it->get<std::string>(), now);
      if (!key)
        return key.error();
      if (!rs256_verify(key->get(), parts->signing_input, parts->signature))
        return reject("signature invalid");
      return check_claims(parts->payload, settings, now, "jwt-rs256");
    }
    if (alg == "HS256") {
      // Only ever the configured secret: never a JWKS key, which would let
      // anyone holding the public key forge tokens (alg confusion).
      if (settings.hs256_secret.empty())
        return reject("HS256 tokens are not accepted");
      auto mac = hmac_sha256(settings.hs256_secret, parts->signing_input);
      std::string_view expected{reinterpret_cast<const char*>(mac.data()), mac.size()};
      if (!equal_ct(expected, parts->signature))
        return reject("signature invalid");
      return check_claims(parts->payload, settings, now, "jwt-hs256");
    }
    std::string lower = alg;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "none")
      return reject("unsigned tokens are not accepted");
    return reject("unsupported algorithm");
  }
};

verifier::verifier(std::unique_ptr<state> st) : state_(std::move(st)) {}
verifier::~verifier() = default;

caf::expected<std::shared_ptr<verifier>> verifier::make(auth_settings s) {
  auto log = log::get("auth");
  if (s.leeway_s < 0 || s.leeway_s > 86400)
    return bad_config("leeway_s must be within 0..86400");
  if (s.jwks_cache_s <= 0)
    return bad_config("jwks_cache_s must be positive");
  if (s.tenant_claim.empty() || s.user_claim.empty())
    return bad_config("tenant_claim and user_claim must be set");
  if (!s.jwks_file.empty() && !s.jwks_url.empty())
    return bad_config("set jwks_file or jwks_url, not both");
  if (!s.jwks_url.empty() && s.jwks_url.rfind("http://", 0) != 0
      && s.jwks_url.rfind("https://", 0) != 0)
    return bad_config("jwks_url must be http:// or https://");
  if (s.jwks_file.empty() && s.jwks_url.empty() && s.hs256_secret.empty() && s.api_keys.empty())
    return bad_config("no credential would be accepted: configure jwks_file, jwks_url, "
                      "hs256_secret or api_keys");
  if (!s.hs256_secret.empty() && s.hs256_secret.size() < 32)
    log->warn("hs256_secret is shorter than 32 bytes; use a longer random secret");

  auto st = std::make_unique<state>();
  for (std::size_t i = 0; i < s.api_keys.size(); ++i) {
    const auto& k = s.api_keys[i];
    // Name keys by position: the key itself must not reach a log.
    auto where = "api_keys[" + std::to_string(i) + "]";
    if (k.key.empty() || k.key.size() > max_credential_bytes || !printable_token(k.key))
      return bad_config(where + ": key must be 1..8192 printable ASCII characters");
    if (looks_like_jwt(k.key))
      return bad_config(where + ": key must not have the shape of a JWT (two dots)");
    if (!valid_tenant(k.tenant))
      return bad_config(where + ": tenant must match [A-Za-z0-9._-]{1,64}");
    if (!valid_user(k.user))
      return bad_config(where + ": user must be 1..256 characters");
    auto digest = sha256(k.key);
    for (const auto& other : st->api_keys)
      if (other.digest == digest)
        return bad_config(where + ": duplicate key");
    if (k.key.size() < 16)
      log->warn("{} is shorter than 16 characters", where);
    st->api_keys.push_back({digest, k.tenant, k.user});
  }
  if (!s.jwks_file.empty()) {
    auto keys = load_jwks_file(s.jwks_file);
    if (!keys)
      return keys.error();
    if (keys->empty())
      return bad_config("JWKS file " + s.jwks_file + " has no usable RS256 key");
    log->info("JWKS {}: {} RS256 key(s) loaded", s.jwks_file, keys->size());
    st->jwks.keys = std::make_shared<const key_set>(std::move(*keys));
  }
  st->settings = std::move(s);
  st->settings.api_keys.clear();  // only the digests are kept
  return std::shared_ptr<verifier>{new verifier{std::move(st)}};
}

caf::expected<identity> verifier::verify(std::string_view credential, int64_t now_s) {
  auto result = [&]() -> caf::expected<identity> {
    if (credential.empty())
      return reject("empty credential");
    if (credential.size() > max_credential_bytes)
      return reject("token too large");
    if (looks_like_jwt(credential))
      return state_->verify_jwt(credential, now_s);
    return state_->verify_api_key(credential);
  }();
  // The reason only: the credential itself must never reach a log.
  if (!result)
    log::get("auth")->debug("credential rejected: {}", describe(result.error()));
  return result;
}

std::string mint_hs256(const std::string& secret, const nlohmann::json& claims) {
  nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  auto input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  auto mac = hmac_sha256(secret, input);
  return input + "."
         + base64url_encode({reinterpret_cast<const char*>(mac.data()), mac.size()});
}

std::optional<std::string> bearer(std::string_view authorization_header) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  auto v = authorization_header;
  while (!v.empty() && is_space(v.front()))
    v.remove_prefix(1);
  while (!v.empty() && is_space(v.back()))
    v.remove_suffix(1);
  constexpr std::string_view scheme = "bearer";
  if (v.size() <= scheme.size() || !is_space(v[scheme.size()]))
    return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != scheme[i])
      return std::nullopt;
  v.remove_prefix(scheme.size());
  while (!v.empty() && is_space(v.front()))
    v.remove_prefix(1);
  // One token (RFC 6750 b64token is a subset); spaces inside mean this is
  // not a bearer credential.
  if (v.empty() || !printable_token(v))
    return std::nullopt;
  return std::string{v};
}

}  // namespace sof::auth
