#pragma once
// Test-side token forgery kit: RSA keys, JWKS documents and signed tokens
// built directly with OpenSSL, independent of the code under test, so a bug
// in sof_auth's encoding cannot cancel out in its own tests.
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace sof::test {

inline std::string b64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (auto& c : out)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

struct rsa_key {
  std::string kid;
  std::shared_ptr<EVP_PKEY> pkey;

  explicit rsa_key(std::string id)
      : kid(std::move(id)), pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}),
                                 EVP_PKEY_free) {
    if (!pkey)
      throw std::runtime_error("RSA keygen failed");
  }

  std::string param(const char* name) const {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey.get(), name, &bn) != 1)
      throw std::runtime_error("cannot read RSA parameter");
    std::string bytes(BN_num_bytes(bn), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
  }

  nlohmann::json jwk(const std::string& use = "sig") const {
    return {{"kty", "RSA"}, {"kid", kid}, {"use", use}, {"alg", "RS256"},
            {"n", b64url(param(OSSL_PKEY_PARAM_RSA_N))},
            {"e", b64url(param(OSSL_PKEY_PARAM_RSA_E))}};
  }

  std::string public_pem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
    PEM_write_bio_PUBKEY(bio.get(), pkey.get());
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, n);
  }
};

inline std::string rs256_signature(const rsa_key& key, const std::string& input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  size_t len = 0;
  auto data = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) != 1
      || EVP_DigestSign(md.get(), nullptr, &len, data, input.size()) != 1)
    throw std::runtime_error("sign init failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                     input.size())
      != 1)
    throw std::runtime_error("sign failed");
  sig.resize(len);
  return sig;
}

inline std::string hs256_signature(const std::string& secret, const std::string& input) {
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

/// "header.payload" from JSON values (dumped as given).
inline std::string signing_input(const nlohmann::json& header, const nlohmann::json& payload) {
  return b64url(header.dump()) + "." + b64url(payload.dump());
}

/// An RS256 token signed by `key` whose header names `kid` (default: the key's).
inline std::string rs256_token(const rsa_key& key, const nlohmann::json& payload,
                               std::string kid = "") {
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"},
                           {"kid", kid.empty() ? key.kid : kid}};
  auto input = signing_input(header, payload);
  return input + "." + b64url(rs256_signature(key, input));
}

inline std::string hs256_token(const std::string& secret, const nlohmann::json& payload,
                               nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}}) {
  auto input = signing_input(header, payload);
  return input + "." + b64url(hs256_signature(secret, input));
}

inline nlohmann::json jwks_of(std::initializer_list<nlohmann::json> keys) {
  return {{"keys", nlohmann::json::array_t(keys)}};
}

/// A scratch file removed at destruction.
class temp_file {
 public:
  explicit temp_file(const std::string& stem)
      : path_(std::filesystem::temp_directory_path()
              / (stem + "-" + std::to_string(getpid()) + ".json")) {}
  ~temp_file() { std::filesystem::remove(path_); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  /// Atomic replace, so a concurrent reader never sees half a file.
  void write(const std::string& text) const {
    auto tmp = path_;
    tmp += ".tmp";
    std::ofstream{tmp, std::ios::binary} << text;
    std::filesystem::rename(tmp, path_);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace sof::test
