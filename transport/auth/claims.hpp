#pragma once
// The registered-claim rules (exp, nbf, iat, iss, aud) and the mapping of
// a verified payload to the tenant and user a request acts for.
#include "transport/auth/auth.hpp"

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace sof::auth::detail {

/// Applies the settings' claim rules to a payload whose signature already
/// verified; `method` goes into the identity unchanged.
caf::expected<identity> check_claims(const nlohmann::json& payload, const auth_settings& s,
                                     int64_t now_s, std::string method);

/// True for a user id we are willing to carry into logs and storage:
/// 1..256 bytes, no control characters.
bool valid_user(std::string_view user);

}  // namespace sof::auth::detail
