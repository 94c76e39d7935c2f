#include "transport/auth/claims.hpp"

#include "actors/common/errors.hpp"

#include <cmath>
#include <limits>
#include <optional>

namespace sof::auth::detail {

namespace {

caf::error reject(std::string why) {
  return make_error(errc::invalid_argument, std::move(why));
}

// A NumericDate (RFC 7519 section 2): seconds, integer or not. Values out
// of int64 range saturate rather than wrap, so a huge exp cannot become a
// past one. nullopt + error flag distinguishes "absent" from "malformed".
struct numeric_claim {
  std::optional<int64_t> value;
  bool malformed = false;
};

numeric_claim read_numeric(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end())
    return {};
  constexpr auto lo = std::numeric_limits<int64_t>::min();
  constexpr auto hi = std::numeric_limits<int64_t>::max();
  if (it->is_number_unsigned()) {
    auto v = it->get<uint64_t>();
    return {v > static_cast<uint64_t>(hi) ? hi : static_cast<int64_t>(v)};
  }
  if (it->is_number_integer())
    return {it->get<int64_t>()};
  if (it->is_number_float()) {
    double v = it->get<double>();
    if (!std::isfinite(v))
      return {std::nullopt, true};
    if (v >= 9.2e18)
      return {hi};
    if (v <= -9.2e18)
      return {lo};
    return {static_cast<int64_t>(std::floor(v))};
  }
  return {std::nullopt, true};
}

bool audience_matches(const nlohmann::json& payload, const std::string& audience) {
  auto it = payload.find("aud");
  if (it == payload.end())
    return false;
  if (it->is_string())
    return it->get<std::string>() == audience;
  if (it->is_array())
    for (const auto& a : *it)
      if (a.is_string() && a.get<std::string>() == audience)
        return true;
  return false;
}

std::optional<std::string> string_claim(const nlohmann::json& payload, const std::string& name) {
  auto it = payload.find(name);
  if (it == payload.end() || !it->is_string())
    return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

bool valid_user(std::string_view user) {
  if (user.empty() || user.size() > 256)
    return false;
  for (unsigned char c : user)
    if (c < 0x20 || c == 0x7f)
      return false;
  return true;
}

caf::expected<identity> check_claims(const nlohmann::json& payload, const auth_settings& s,
                                     int64_t now_s, std::string method) {
  const int64_t leeway = s.leeway_s;
  // A token without exp would be valid forever: refuse to accept one.
  auto exp = read_numeric(payload, "exp");
  if (exp.malformed)
    return reject("malformed exp claim");
  if (!exp.value)
    return reject("missing exp claim");
  // Written as now - leeway so that exp near INT64_MAX cannot overflow.
  if (now_s - leeway >= *exp.value)
    return reject("token expired");
  auto nbf = read_numeric(payload, "nbf");
  if (nbf.malformed)
    return reject("malformed nbf claim");
  if (nbf.value && now_s + leeway < *nbf.value)
    return reject("token not yet valid");
  auto iat = read_numeric(payload, "iat");
  if (iat.malformed)
    return reject("malformed iat claim");
  if (iat.value && now_s + leeway < *iat.value)
    return reject("token issued in the future");

  if (!s.issuer.empty() && string_claim(payload, "iss") != s.issuer)
    return reject("issuer mismatch");
  if (!s.audience.empty() && !audience_matches(payload, s.audience))
    return reject("audience mismatch");

  auto tenant = string_claim(payload, s.tenant_claim);
  if (!tenant || tenant->empty())
    return reject("missing tenant claim");
  if (!valid_tenant(*tenant))
    return reject("invalid tenant claim");
  auto user = string_claim(payload, s.user_claim);
  if (!user || user->empty())
    return reject("missing user claim");
  if (!valid_user(*user))
    return reject("invalid user claim");
  return identity{std::move(*tenant), std::move(*user), std::move(method), *exp.value};
}

}  // namespace sof::auth::detail
