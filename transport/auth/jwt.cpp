#include "transport/auth/jwt.hpp"

#include "actors/common/errors.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <algorithm>

namespace sof::auth::detail {

namespace {

constexpr char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// A JWK modulus below 2048 bits is forgeable in practice; above 8192 bits
// every verify costs too much CPU for an unauthenticated request.
constexpr int min_rsa_bits = 2048;
constexpr int max_rsa_bits = 8192;

struct bn_free {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct bld_free {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct params_free {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct ctx_free {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t v = b(i) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text, bool allow_padding) {
  if (allow_padding) {
    for (int k = 0; k < 2 && !text.empty() && text.back() == '='; ++k)
      text.remove_suffix(1);
  }
  if (text.size() % 4 == 1)
    return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = sextet(c);
    if (v < 0)
      return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero: otherwise several strings decode to the same
  // bytes, and a "tampered" token could still verify.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return std::nullopt;
  return out;
}

bool looks_like_jwt(std::string_view credential) {
  return std::count(credential.begin(), credential.end(), '.') == 2;
}

caf::expected<jwt_parts> parse_jwt(std::string_view token) {
  auto bad = [](const char* why) {
    return make_error(errc::invalid_argument, std::string{"malformed token: "} + why);
  };
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return bad("expected three parts");
  auto h64 = token.substr(0, d1);
  auto p64 = token.substr(d1 + 1, d2 - d1 - 1);
  auto s64 = token.substr(d2 + 1);
  // An empty signature is let through so that alg "none" is refused by name
  // below; no algorithm we accept verifies an empty signature.
  if (h64.empty() || p64.empty())
    return bad("empty part");
  auto h = base64url_decode(h64);
  auto p = base64url_decode(p64);
  auto s = base64url_decode(s64);
  if (!h || !p || !s)
    return bad("invalid base64url");
  jwt_parts parts;
  parts.header = nlohmann::json::parse(*h, nullptr, false);
  if (!parts.header.is_object())
    return bad("header is not a JSON object");
  parts.payload = nlohmann::json::parse(*p, nullptr, false);
  if (!parts.payload.is_object())
    return bad("payload is not a JSON object");
  parts.signature = std::move(*s);
  parts.signing_input = token.substr(0, d2);
  return parts;
}

sha256_digest sha256(std::string_view bytes) {
  sha256_digest out{};
  SHA256(bytes_of(bytes), bytes.size(), out.data());
  return out;
}

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
  sha256_digest out{};
  unsigned int len = 0;
  // HMAC() with a null key pointer fails on an empty key; a zero byte array
  // of length 0 is the same key.
  static const unsigned char empty = 0;
  const unsigned char* k = key.empty() ? &empty : bytes_of(key);
  if (!HMAC(EVP_sha256(), k, static_cast<int>(key.size()), bytes_of(data), data.size(),
            out.data(), &len)) {
    ERR_clear_error();
    out.fill(0);
  }
  return out;
}

bool equal_ct(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

caf::expected<pkey_ptr> rsa_public_key(std::string_view n, std::string_view e) {
  auto fail = [](const char* why) {
    ERR_clear_error();
    return make_error(errc::invalid_argument, std::string{"RSA key: "} + why);
  };
  if (n.empty() || e.empty() || e.size() > 8)
    return fail("missing or oversized n/e");
  std::unique_ptr<BIGNUM, bn_free> bn_n{BN_bin2bn(bytes_of(n), static_cast<int>(n.size()), nullptr)};
  std::unique_ptr<BIGNUM, bn_free> bn_e{BN_bin2bn(bytes_of(e), static_cast<int>(e.size()), nullptr)};
  if (!bn_n || !bn_e)
    return fail("bad integers");
  int bits = BN_num_bits(bn_n.get());
  if (bits < min_rsa_bits || bits > max_rsa_bits)
    return fail("modulus size out of range (2048..8192 bits)");
  std::unique_ptr<OSSL_PARAM_BLD, bld_free> bld{OSSL_PARAM_BLD_new()};
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get())
      || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
    return fail("parameter build failed");
  std::unique_ptr<OSSL_PARAM, params_free> params{OSSL_PARAM_BLD_to_param(bld.get())};
  std::unique_ptr<EVP_PKEY_CTX, ctx_free> ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
      || EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return fail("OpenSSL rejected n/e");
  pkey_ptr key{raw, pkey_free{}};
  // fromdata takes any integers; the public check rejects even exponents,
  // e = 1 and the like before they reach a verify.
  std::unique_ptr<EVP_PKEY_CTX, ctx_free> check{EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr)};
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return fail("public key check failed");
  return key;
}

bool rs256_verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> md{EVP_MD_CTX_new()};
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  bool ok = md && EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) == 1
            && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1
            && EVP_DigestVerify(md.get(), bytes_of(signature), signature.size(),
                                bytes_of(data), data.size())
                   == 1;
  // A failed verify leaves entries on this thread's error queue; they would
  // confuse the next OpenSSL user (e.g. a TLS handshake) on the thread.
  ERR_clear_error();
  return ok;
}

}  // namespace sof::auth::detail
