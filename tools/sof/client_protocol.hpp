#pragma once
// What the clients of `sof serve` (sof client, sof loadgen) share about
// the protocol of docs/protocol.md apart from the socket: the server URL,
// typed reads of server messages, and the reason of a refused upgrade.
#include "tools/sof/ws_client.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sof::cli {

/// http://HOST[:PORT][/PREFIX] or ws://...; the WebSocket path is
/// PREFIX/v1/sessions/ws. TLS is refused. On failure: nullopt and `error`.
std::optional<ws_target> parse_url(const std::string& url, std::string& error);

std::optional<uint64_t> get_u64(const nlohmann::json& m, const char* key);
double get_num(const nlohmann::json& m, const char* key, double fallback = 0);
std::string get_str(const nlohmann::json& m, const char* key);
bool get_bool(const nlohmann::json& m, const char* key, bool fallback = false);

/// "token expired" from {"error": "unauthorized", "reason": "token expired"}.
std::string refusal_reason(const std::string& body);

}  // namespace sof::cli
