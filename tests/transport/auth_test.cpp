#include "transport/auth/auth.hpp"

#include "actors/common/errors.hpp"
#include "tests/support/loopback_server.hpp"
#include "tests/transport/jwt_test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <random>
#include <thread>

namespace sof::auth {
namespace {

using nlohmann::json;
using namespace sof::test;

constexpr int64_t t0 = 1'700'000'000;
const std::string secret = "0123456789abcdef0123456789abcdef-dev";

// Key generation costs ~0.1 s each: once for the whole suite.
const rsa_key& key_a() { static const rsa_key k{"key-a"}; return k; }
const rsa_key& key_b() { static const rsa_key k{"key-b"}; return k; }
const rsa_key& key_other() { static const rsa_key k{"key-a"}; return k; }  // same kid, other key

json claims(json extra = json::object()) {
  json c = {{"iss", "https://idp.example.com/"}, {"aud", "sof-api"}, {"sub", "user-1"},
            {"org_id", "acme"}, {"iat", t0 - 10}, {"exp", t0 + 3600}};
  if (!extra.is_object())
    return c;
  for (auto& [k, v] : extra.items()) {
    if (v.is_null())
      c.erase(k);
    else
      c[k] = v;
  }
  return c;
}

std::string why(const caf::expected<identity>& r) {
  return r ? std::string{"accepted"} : describe(r.error());
}

#define EXPECT_REJECTED(result, reason)                       \
  do {                                                        \
    auto r_ = (result);                                       \
    EXPECT_FALSE(r_) << "expected rejection: " << (reason);   \
    EXPECT_NE(why(r_).find(reason), std::string::npos) << why(r_); \
  } while (0)

class AuthFile : public ::testing::Test {
 protected:
  void SetUp() override {
    // An EC key and an encryption key sit beside the signing key: parsing
    // must skip both without failing.
    json ec = {{"kty", "EC"}, {"kid", "ec-1"}, {"crv", "P-256"}, {"x", "AAAA"}, {"y", "AAAA"}};
    jwks_.write(jwks_of({ec, key_b().jwk("enc"), key_a().jwk()}).dump());
    auto v = verifier::make(settings());
    ASSERT_TRUE(v) << describe(v.error());
    v_ = *v;
  }
  auth_settings settings() const {
    auth_settings s;
    s.issuer = "https://idp.example.com/";
    s.audience = "sof-api";
    s.jwks_file = jwks_.path();
    s.tenant_claim = "org_id";
    s.api_keys = {{"sk_live_4f3c2b1a0987654321", "acme", "ci-bot"}};
    return s;
  }
  temp_file jwks_{"sof-auth-jwks"};
  std::shared_ptr<verifier> v_;
};

TEST_F(AuthFile, ValidRs256CarriesTenantAndUserFromConfiguredClaims) {
  auto id = v_->verify(rs256_token(key_a(), claims()), t0);
  ASSERT_TRUE(id) << why(id);
  EXPECT_EQ(id->tenant, "acme");
  EXPECT_EQ(id->user, "user-1");
  EXPECT_EQ(id->method, "jwt-rs256");
  EXPECT_EQ(id->expires_at, t0 + 3600);

  auto s = settings();
  s.tenant_claim = "https://example.com/tenant";
  s.user_claim = "email";
  auto v = verifier::make(s);
  ASSERT_TRUE(v);
  id = (*v)->verify(rs256_token(key_a(), claims({{"https://example.com/tenant", "org.x-1_2"},
                                                 {"email", "a@b.example"}})),
                    t0);
  ASSERT_TRUE(id) << why(id);
  EXPECT_EQ(id->tenant, "org.x-1_2");
  EXPECT_EQ(id->user, "a@b.example");
}

TEST_F(AuthFile, SignatureOrKeyProblemsAreRejected) {
  EXPECT_REJECTED(v_->verify(rs256_token(key_other(), claims()), t0), "signature invalid");
  EXPECT_REJECTED(v_->verify(rs256_token(key_a(), claims(), "key-zzz"), t0), "unknown key id");
  // key-b is published for encryption only, and the EC key is not RSA.
  EXPECT_REJECTED(v_->verify(rs256_token(key_b(), claims()), t0), "unknown key id");
  EXPECT_REJECTED(v_->verify(rs256_token(key_a(), claims(), "ec-1"), t0), "unknown key id");

  json no_kid = {{"alg", "RS256"}};
  auto input = signing_input(no_kid, claims());
  EXPECT_REJECTED(v_->verify(input + "." + b64url(rs256_signature(key_a(), input)), t0),
                  "missing key id");
}

TEST_F(AuthFile, TimeIssuerAudienceAndIdentityClaimsAreChecked) {
  auto check = [&](json extra, int64_t now = t0) {
    return v_->verify(rs256_token(key_a(), claims(std::move(extra))), now);
  };
  EXPECT_REJECTED(check({{"exp", t0 - 61}}), "token expired");
  EXPECT_TRUE(check({{"exp", t0 - 30}}));  // within the 60 s leeway
  EXPECT_REJECTED(check({}, t0 + 3600 + 60), "token expired");
  EXPECT_REJECTED(check({{"exp", nullptr}}), "missing exp");
  EXPECT_REJECTED(check({{"exp", "tomorrow"}}), "malformed exp");
  EXPECT_TRUE(check({{"exp", 1.8e19}}));  // saturates, does not wrap into the past
  EXPECT_REJECTED(check({{"nbf", t0 + 120}}), "not yet valid");
  EXPECT_TRUE(check({{"nbf", t0 + 30}}));
  EXPECT_REJECTED(check({{"iat", t0 + 600}}), "issued in the future");

  EXPECT_REJECTED(check({{"iss", "https://evil.example.com/"}}), "issuer mismatch");
  EXPECT_REJECTED(check({{"iss", nullptr}}), "issuer mismatch");
  EXPECT_REJECTED(check({{"aud", "other-api"}}), "audience mismatch");
  EXPECT_REJECTED(check({{"aud", json::array({"a", "b"})}}), "audience mismatch");
  EXPECT_REJECTED(check({{"aud", nullptr}}), "audience mismatch");
  EXPECT_TRUE(check({{"aud", json::array({"other", "sof-api"})}}));

  EXPECT_REJECTED(check({{"org_id", nullptr}}), "missing tenant");
  EXPECT_REJECTED(check({{"org_id", ""}}), "missing tenant");
  EXPECT_REJECTED(check({{"org_id", 42}}), "missing tenant");
  EXPECT_REJECTED(check({{"org_id", "../etc"}}), "invalid tenant");
  EXPECT_REJECTED(check({{"org_id", ".."}}), "invalid tenant");
  EXPECT_REJECTED(check({{"org_id", std::string(65, 'a')}}), "invalid tenant");
  EXPECT_TRUE(check({{"org_id", std::string(64, 'a')}}));
  EXPECT_REJECTED(check({{"sub", nullptr}}), "missing user");
  EXPECT_REJECTED(check({{"sub", "bad\nuser"}}), "invalid user");
}

TEST_F(AuthFile, AlgNoneAndUnconfiguredHs256AreRejected) {
  for (const char* alg : {"none", "None", "NONE"}) {
    auto input = signing_input({{"alg", alg}, {"typ", "JWT"}}, claims());
    EXPECT_REJECTED(v_->verify(input + ".", t0), "unsigned tokens");
    EXPECT_REJECTED(v_->verify(input + "." + b64url("sig"), t0), "unsigned tokens");
  }
  for (const char* alg : {"RS512", "ES256", "PS256", "HS512"}) {
    auto input = signing_input({{"alg", alg}, {"kid", "key-a"}}, claims());
    EXPECT_REJECTED(v_->verify(input + "." + b64url("sig"), t0), "unsupported algorithm");
  }
  EXPECT_REJECTED(v_->verify(hs256_token(secret, claims()), t0), "HS256 tokens are not accepted");
  auto input = signing_input({{"alg", "RS256"}, {"kid", "key-a"}, {"crit", {"exp"}}}, claims());
  EXPECT_REJECTED(v_->verify(input + "." + b64url(rs256_signature(key_a(), input)), t0),
                  "critical");
}

TEST_F(AuthFile, PublicKeyUsedAsHs256SecretIsRejected) {
  // The classic confusion: sign HS256 with the (public) RSA key material
  // and name the RSA kid, hoping the verifier feeds that key to HMAC.
  json header = {{"alg", "HS256"}, {"kid", "key-a"}};
  std::vector<std::string> forged_secrets = {key_a().public_pem(), key_a().jwk().dump(),
                                             key_a().param(OSSL_PKEY_PARAM_RSA_N)};
  auto s = settings();
  s.hs256_secret = secret;  // even with HS256 enabled
  auto with_secret = verifier::make(s);
  ASSERT_TRUE(with_secret);
  for (const auto& forged : forged_secrets) {
    auto token = hs256_token(forged, claims(), header);
    EXPECT_REJECTED(v_->verify(token, t0), "HS256 tokens are not accepted");
    EXPECT_REJECTED((*with_secret)->verify(token, t0), "signature invalid");
  }
}

TEST(AuthHs256, SecretSignsAndOnlyTheSecretVerifies) {
  auth_settings s;
  s.hs256_secret = secret;
  auto v = verifier::make(s);
  ASSERT_TRUE(v) << describe(v.error());
  json c = {{"sub", "svc"}, {"tenant", "internal"}, {"exp", t0 + 60}};
  auto minted = mint_hs256(secret, c);
  auto id = (*v)->verify(minted, t0);
  ASSERT_TRUE(id) << why(id);
  EXPECT_EQ(id->method, "jwt-hs256");
  EXPECT_EQ(id->tenant, "internal");
  EXPECT_EQ(id->user, "svc");
  EXPECT_EQ(minted, hs256_token(secret, c));  // mint matches an independent signer
  EXPECT_REJECTED((*v)->verify(mint_hs256(secret + "x", c), t0), "signature invalid");
  EXPECT_REJECTED((*v)->verify(rs256_token(key_a(), claims()), t0),
                  "RS256 tokens are not accepted");
}

TEST_F(AuthFile, TamperedTokensAreRejected) {
  auto token = rs256_token(key_a(), claims());
  auto d1 = token.find('.'), d2 = token.rfind('.');
  auto forged_payload = b64url(claims({{"org_id", "victim"}}).dump());
  auto tampered = token.substr(0, d1 + 1) + forged_payload + token.substr(d2);
  EXPECT_REJECTED(v_->verify(tampered, t0), "signature invalid");

  auto flipped = token;
  flipped[d2 + 5] = flipped[d2 + 5] == 'A' ? 'B' : 'A';
  EXPECT_REJECTED(v_->verify(flipped, t0), "signature invalid");
  EXPECT_REJECTED(v_->verify(token.substr(0, d2 + 1), t0), "signature invalid");

  // Non-canonical base64url: the last character of the signature differs
  // only in bits that decode to nothing.
  auto sig = token.substr(d2 + 1);
  ASSERT_EQ(sig.size() % 4, 2u);  // 256 bytes -> 342 chars, 4 unused bits
  auto last = sig.back();
  auto noncanonical = token;
  noncanonical.back() = static_cast<char>(last + 1);
  EXPECT_REJECTED(v_->verify(noncanonical, t0), "malformed token");
}

TEST_F(AuthFile, MalformedTokensAreRejectedWithoutCrashing) {
  auto good = rs256_token(key_a(), claims());
  auto h = good.substr(0, good.find('.'));
  auto p = b64url(claims().dump());
  EXPECT_REJECTED(v_->verify("", t0), "empty credential");
  EXPECT_REJECTED(v_->verify(h + "." + p, t0), "unknown API key");  // 2 parts: not a JWT
  EXPECT_REJECTED(v_->verify(good + ".x", t0), "unknown API key");  // 4 parts
  EXPECT_REJECTED(v_->verify(h + ".@@@." + "abc", t0), "invalid base64url");
  EXPECT_REJECTED(v_->verify(h + "=." + p + ".abc", t0), "invalid base64url");
  EXPECT_REJECTED(v_->verify(h + "." + p + "==.abc", t0), "invalid base64url");
  EXPECT_REJECTED(v_->verify(h + ".a." + "abc", t0), "invalid base64url");  // 1 char group
  EXPECT_REJECTED(v_->verify("." + p + ".abc", t0), "empty part");
  EXPECT_REJECTED(v_->verify(h + "." + b64url("[1,2,3]") + ".abc", t0),
                  "payload is not a JSON object");
  EXPECT_REJECTED(v_->verify(b64url("\"RS256\"") + "." + p + ".abc", t0),
                  "header is not a JSON object");
  EXPECT_REJECTED(v_->verify(b64url("{\"alg\":") + "." + p + ".abc", t0),
                  "header is not a JSON object");
  EXPECT_REJECTED(v_->verify(b64url("{\"alg\":7}") + "." + p + ".abc", t0), "missing alg");
  std::string huge = h + "." + std::string(9000, 'A') + ".abc";
  EXPECT_REJECTED(v_->verify(huge, t0), "token too large");
  EXPECT_REJECTED(v_->verify(std::string(9000, 'k'), t0), "token too large");
  std::string binary("\x00\xff..\x01", 5);
  EXPECT_FALSE(v_->verify(binary, t0));
  // No error message repeats any part of what it was given.
  for (const auto& bad : {huge, h + "." + b64url("[1]") + ".abc", good + "x"}) {
    auto r = v_->verify(bad, t0);
    ASSERT_FALSE(r);
    EXPECT_EQ(why(r).find(h.substr(0, 10)), std::string::npos);
  }
}

TEST_F(AuthFile, EverySingleCharacterMutationIsRejected) {
  auto token = rs256_token(key_a(), claims());
  const std::string chars = "ABCabc0189-_.=+/ \x01";
  std::mt19937 rng{7};
  for (int i = 0; i < 600; ++i) {
    auto mutated = token;
    mutated[rng() % mutated.size()] = chars[rng() % chars.size()];
    if (mutated != token) {
      EXPECT_FALSE(v_->verify(mutated, t0)) << "mutation " << i;
    }
  }
}

TEST_F(AuthFile, ApiKeysMatchExactly) {
  auto id = v_->verify("sk_live_4f3c2b1a0987654321", t0);
  ASSERT_TRUE(id) << why(id);
  EXPECT_EQ(id->tenant, "acme");
  EXPECT_EQ(id->user, "ci-bot");
  EXPECT_EQ(id->method, "api-key");
  for (const char* near : {"sk_live_4f3c2b1a0987654320", "sk_live_4f3c2b1a098765432",
                           "sk_live_4f3c2b1a09876543211", "SK_LIVE_4F3C2B1A0987654321"})
    EXPECT_REJECTED(v_->verify(near, t0), "unknown API key");
}

TEST(AuthBearer, ParsesTheSchemeCaseInsensitively) {
  EXPECT_EQ(bearer("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(bearer("bearer abc"), "abc");
  EXPECT_EQ(bearer("BEARER   sk_1  "), "sk_1");
  EXPECT_EQ(bearer("  Bearer\tx-y_z~+/=="), "x-y_z~+/==");
  EXPECT_EQ(bearer("Bearer"), std::nullopt);
  EXPECT_EQ(bearer("Bearer "), std::nullopt);
  EXPECT_EQ(bearer("Bearerabc"), std::nullopt);
  EXPECT_EQ(bearer("Basic dXNlcjpwYXNz"), std::nullopt);
  EXPECT_EQ(bearer("Bearer a b"), std::nullopt);
  EXPECT_EQ(bearer(""), std::nullopt);
  EXPECT_EQ(bearer(std::string_view{"Bearer a\0b", 10}), std::nullopt);
}

TEST(AuthMake, ReportsUnusableSettingsClearly) {
  auto error_of = [](auth_settings s) {
    auto v = verifier::make(std::move(s));
    return v ? std::string{"ok"} : describe(v.error());
  };
  auth_settings s;
  EXPECT_NE(error_of(s).find("no credential would be accepted"), std::string::npos);
  s.jwks_file = "/nonexistent/jwks.json";
  EXPECT_NE(error_of(s).find("cannot read JWKS file"), std::string::npos);
  temp_file f{"sof-auth-bad"};
  f.write("{not json");
  s.jwks_file = f.path();
  EXPECT_NE(error_of(s).find("\"keys\" array"), std::string::npos);
  json ec = {{"kty", "EC"}, {"kid", "e"}};
  f.write(jwks_of({ec}).dump());
  EXPECT_NE(error_of(s).find("no usable RS256 key"), std::string::npos);
  s.jwks_url = "http://127.0.0.1:1/jwks";
  EXPECT_NE(error_of(s).find("not both"), std::string::npos);
  s.jwks_file.clear();
  s.jwks_url = "file:///etc/passwd";
  EXPECT_NE(error_of(s).find("http"), std::string::npos);

  auth_settings k;
  k.api_keys = {{"sk_secret_value_123", "bad tenant", "u"}};
  auto msg = error_of(k);
  EXPECT_NE(msg.find("api_keys[0]"), std::string::npos);
  EXPECT_EQ(msg.find("sk_secret_value_123"), std::string::npos);  // never echoed
  k.api_keys = {{"a.b.c", "t", "u"}};
  EXPECT_NE(error_of(k).find("shape of a JWT"), std::string::npos);
  k.api_keys = {{"sk_1234567890abcdef", "t", "u"}, {"sk_1234567890abcdef", "t", "v"}};
  EXPECT_NE(error_of(k).find("duplicate"), std::string::npos);
}

TEST_F(AuthFile, VerifyIsThreadSafe) {
  auto rs = rs256_token(key_a(), claims());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        ok += (v_->verify(rs, t0) ? 1 : 0) + (v_->verify("sk_live_4f3c2b1a0987654321", t0) ? 1 : 0);
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST(AuthJwksUrl, UnknownKidRefetchesSoRotatedKeysWork) {
  temp_file served{"sof-auth-served"};
  served.write(jwks_of({key_a().jwk()}).dump());
  setenv("SOF_TEST_JWKS_FILE", served.path().c_str(), 1);
  std::optional<loopback_server> srv;
  srv.emplace("tests/transport/jwks_server.py");
  ASSERT_GT(srv->port(), 0);
  auth_settings s;
  s.jwks_url = "http://127.0.0.1:" + std::to_string(srv->port()) + "/.well-known/jwks.json";
  s.jwks_cache_s = 100;
  auto made = verifier::make(s);
  ASSERT_TRUE(made) << describe(made.error());
  auto& v = *made;
  json c = {{"sub", "u"}, {"tenant", "acme"}, {"exp", t0 + 3600}};
  auto token_a = rs256_token(key_a(), c);
  auto token_b = rs256_token(key_b(), c);

  ASSERT_TRUE(v->verify(token_a, t0)) << why(v->verify(token_a, t0));  // first fetch
  served.write(jwks_of({key_b().jwk()}).dump());  // rotate: A retired, B new
  // Inside the 30 s window an unknown kid does not refetch...
  EXPECT_REJECTED(v->verify(token_b, t0 + 1), "unknown key id");
  EXPECT_TRUE(v->verify(token_a, t0 + 2));  // ...and the cached A still works
  // ...after it, B's kid triggers the refetch that picks the new key up.
  auto b = v->verify(token_b, t0 + 31);
  ASSERT_TRUE(b) << why(b);
  EXPECT_EQ(b->method, "jwt-rs256");
  EXPECT_REJECTED(v->verify(token_a, t0 + 32), "unknown key id");  // A is gone

  // Cache expiry: a known kid is refetched after jwks_cache_s, which is how
  // a revoked key stops working.
  served.write(jwks_of({key_a().jwk()}).dump());
  EXPECT_TRUE(v->verify(token_b, t0 + 60));            // cache still fresh
  EXPECT_REJECTED(v->verify(token_b, t0 + 140), "unknown key id");  // expired, B revoked
  EXPECT_TRUE(v->verify(token_a, t0 + 141));

  // The identity provider goes away: the last good keys stay in use.
  srv.reset();
  auto a = v->verify(token_a, t0 + 400);  // expired cache, refetch fails
  EXPECT_TRUE(a) << why(a);
  unsetenv("SOF_TEST_JWKS_FILE");
}

TEST(AuthJwksUrl, ConcurrentFirstUseFetchesOnceAndAllSucceed) {
  temp_file served{"sof-auth-served-mt"};
  served.write(jwks_of({key_a().jwk()}).dump());
  setenv("SOF_TEST_JWKS_FILE", served.path().c_str(), 1);
  loopback_server srv{"tests/transport/jwks_server.py"};
  unsetenv("SOF_TEST_JWKS_FILE");
  ASSERT_GT(srv.port(), 0);
  auth_settings s;
  s.jwks_url = "http://127.0.0.1:" + std::to_string(srv.port()) + "/jwks";
  s.jwks_cache_s = 60;
  auto v = verifier::make(s);
  ASSERT_TRUE(v);
  auto token = rs256_token(key_a(), {{"sub", "u"}, {"tenant", "t"}, {"exp", t0 + 3600}});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        ok += (*v)->verify(token, t0 + i * 10 + t) ? 1 : 0;  // crosses cache expiry too
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 80);
}

TEST(AuthJwksUrl, UnreachableEndpointFailsCleanly) {
  auth_settings s;
  s.jwks_url = "http://127.0.0.1:1/jwks.json";  // nothing listens on port 1
  auto v = verifier::make(s);
  ASSERT_TRUE(v);
  auto r = (*v)->verify(rs256_token(key_a(), {{"sub", "u"}, {"tenant", "t"}, {"exp", t0 + 60}}), t0);
  ASSERT_FALSE(r);
  EXPECT_NE(why(r).find("signing keys unavailable"), std::string::npos) << why(r);
  // Rate limited: the second attempt in the window does not even connect.
  EXPECT_FALSE((*v)->verify(rs256_token(key_a(), {{"exp", t0 + 60}}), t0 + 1));
}

}  // namespace
}  // namespace sof::auth
