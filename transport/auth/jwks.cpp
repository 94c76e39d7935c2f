#include "transport/auth/jwks.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"

#include <curl/curl.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

namespace sof::auth::detail {

namespace {

// A key set is a few KB; the cap stops a misbehaving endpoint from
// filling memory.
constexpr std::size_t max_jwks_bytes = 1 << 20;
constexpr long fetch_timeout_ms = 5000;
constexpr long connect_timeout_ms = 3000;

std::string string_member(const nlohmann::json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// Why a JWK entry is not an RS256 verification key, or "" if it is one.
std::string unusable_reason(const nlohmann::json& jwk) {
  if (!jwk.is_object())
    return "not an object";
  if (string_member(jwk, "kty") != "RSA")
    return "not an RSA key";
  if (jwk.contains("use") && string_member(jwk, "use") != "sig")
    return "not a signing key";
  if (jwk.contains("alg") && string_member(jwk, "alg") != "RS256")
    return "alg is not RS256";
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    bool verify = false;
    if (ops->is_array())
      for (const auto& op : *ops)
        verify = verify || (op.is_string() && op.get<std::string>() == "verify");
    if (!verify)
      return "key_ops lacks verify";
  }
  if (string_member(jwk, "kid").empty())
    return "no kid";
  return {};
}

struct body_sink {
  std::string data;
  bool overflow = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<body_sink*>(user);
  if (sink->data.size() + size * n > max_jwks_bytes) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->data.append(data, size * n);
  return size * n;
}

}  // namespace

caf::expected<key_set> parse_jwks(std::string_view document, const std::string& origin) {
  auto log = log::get("auth");
  auto doc = nlohmann::json::parse(document, nullptr, false);
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array())
    return make_error(errc::invalid_config,
                      "JWKS " + origin + ": not a JSON object with a \"keys\" array");
  key_set keys;
  for (const auto& jwk : doc["keys"]) {
    auto why = unusable_reason(jwk);
    auto kid = jwk.is_object() ? string_member(jwk, "kid") : std::string{};
    if (why.empty()) {
      auto n = base64url_decode(string_member(jwk, "n"), true);
      auto e = base64url_decode(string_member(jwk, "e"), true);
      if (!n || !e) {
        why = "n/e are not base64url";
      } else if (auto key = rsa_public_key(*n, *e); !key) {
        why = describe(key.error());
      } else if (!keys.emplace(kid, std::move(*key)).second) {
        why = "duplicate kid (first one kept)";
      }
    }
    if (!why.empty())
      log->debug("JWKS {}: skipping key '{}': {}", origin, kid, why);
  }
  return keys;
}

caf::expected<key_set> load_jwks_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::io_error, "cannot read JWKS file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in.good() && !in.eof())
    return make_error(errc::io_error, "cannot read JWKS file " + path);
  auto doc = buf.str();
  if (doc.size() > max_jwks_bytes)
    return make_error(errc::invalid_config, "JWKS file " + path + " is too large");
  return parse_jwks(doc, path);
}

caf::expected<key_set> fetch_jwks_url(const std::string& url) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto fail = [&](const std::string& why) {
    return make_error(errc::provider_failed, "JWKS " + url + ": " + why);
  };
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl)
    return fail("curl_easy_init failed");
  body_sink sink;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  // Only web schemes: a configured URL must not read local files or speak
  // other protocols libcurl happens to support.
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, fetch_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
  if (auto rc = curl_easy_perform(curl.get()); rc != CURLE_OK)
    return fail(sink.overflow ? "response larger than 1 MiB" : curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    return fail("HTTP " + std::to_string(status));
  return parse_jwks(sink.data, url);
}

}  // namespace sof::auth::detail
