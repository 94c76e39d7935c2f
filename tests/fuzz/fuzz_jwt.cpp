// Bearer credentials (transport/auth): every REST request and WebSocket
// upgrade hands its Authorization header to the verifier before anything
// else. Covers the header, the compact JWS split, base64url, the JSON parts,
// the claims, and the HS256 check with a known secret.
#include "actors/common/errors.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "transport/auth/auth.hpp"
#include "transport/auth/jwt.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace {

std::shared_ptr<sof::auth::verifier> make_verifier() {
  sof::auth::auth_settings s;
  s.hs256_secret = "fuzz-secret";
  s.issuer = "sof-fuzz";
  s.api_keys.push_back({"fuzz-api-key-0123456789", "acme", "robot"});
  auto v = sof::auth::verifier::make(s);
  if (!v)
    sof::fuzz::fail("verifier settings refused", __FILE__, __LINE__);
  return *v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  fuzz::quiet_logs();
  static auto verifier = make_verifier();
  std::string_view text{reinterpret_cast<const char*>(data), size};
  constexpr int64_t now = 1'800'000'000;

  if (auto cred = auth::bearer(text)) {
    auto id = verifier->verify(*cred, now);
    // Only a token signed with the secret, or the API key, gets through.
    if (id)
      SOF_FUZZ_CHECK(id->method == "jwt-hs256" || id->method == "api-key");
  }
  auto id = verifier->verify(text, now);
  if (id) {
    SOF_FUZZ_CHECK(auth::valid_tenant(id->tenant) && !id->user.empty());
    if (id->method == "jwt-hs256") {
      // Accepted means signed: the signature must be the HMAC of the input.
      auto parts = auth::detail::parse_jwt(text);
      SOF_FUZZ_CHECK(static_cast<bool>(parts));
      auto mac = auth::detail::hmac_sha256("fuzz-secret", parts->signing_input);
      SOF_FUZZ_CHECK(parts->signature
                     == std::string(reinterpret_cast<const char*>(mac.data()), mac.size()));
      SOF_FUZZ_CHECK(id->expires_at >= now - 60);
    }
  } else {
    SOF_FUZZ_CHECK(id.error() && !describe(id.error()).empty());
  }
  // base64url is strict and canonical: what decodes encodes back the same.
  if (auto raw = auth::detail::base64url_decode(text))
    SOF_FUZZ_CHECK(auth::detail::base64url_encode(*raw) == text);
  return 0;
}
