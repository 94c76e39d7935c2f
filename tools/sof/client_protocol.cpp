#include "tools/sof/client_protocol.hpp"

#include <algorithm>
#include <cctype>

namespace sof::cli {

using json = nlohmann::json;

// -- the URL ------------------------------------------------------------------

/// http://HOST[:PORT][/PREFIX] or ws://...; the WebSocket path is
/// PREFIX/v1/sessions/ws. TLS is refused. On failure: nullopt and `error`.
std::optional<ws_target> parse_url(const std::string& url, std::string& error) {
  auto bad = [&](const std::string& why) {
    error = "bad URL '" + url + "': " + why;
    return std::nullopt;
  };
  auto colon = url.find("://");
  if (colon == std::string::npos)
    return bad("expected http://HOST:PORT or ws://HOST:PORT");
  std::string scheme = url.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "https" || scheme == "wss")
    return bad(scheme + ":// (TLS) is not supported by sof client; use http:// or "
               "ws:// (put a TLS-terminating proxy in front of a remote server)");
  if (scheme != "http" && scheme != "ws")
    return bad("unknown scheme '" + scheme + "' (use http:// or ws://)");
  std::string rest = url.substr(colon + 3);
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string::npos)
    return bad("credentials in the URL are not supported (use --token)");
  if (prefix.find_first_of("?#") != std::string::npos)
    return bad("a query or fragment is not supported");
  ws_target t;
  t.port = "80";
  std::string port;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    auto close = authority.find(']');
    if (close == std::string::npos)
      return bad("unterminated IPv6 address");
    t.host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return bad("expected ':PORT' after the IPv6 address");
      port = after.substr(1);
      if (port.empty())
        return bad("empty port");
    }
  } else {
    auto c = authority.rfind(':');
    t.host = authority.substr(0, c);
    if (c != std::string::npos) {
      port = authority.substr(c + 1);
      if (port.empty())
        return bad("empty port");
    }
  }
  if (t.host.empty())
    return bad("no host");
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(),
                                        [](char c) { return c >= '0' && c <= '9'; }))
      return bad("port '" + port + "' is not a number");
    auto n = std::stoi(port);
    if (n < 1 || n > 65535)
      return bad("port " + port + " is out of range");
    t.port = port;
  }
  while (!prefix.empty() && prefix.back() == '/')
    prefix.pop_back();
  const std::string ws_path = "/v1/sessions/ws";
  if (prefix.size() >= ws_path.size()
      && prefix.compare(prefix.size() - ws_path.size(), ws_path.size(), ws_path) == 0)
    t.path = prefix;  // the full WebSocket URL was given
  else
    t.path = prefix + ws_path;
  return t;
}

// -- reading server messages --------------------------------------------------

std::optional<uint64_t> get_u64(const json& m, const char* key) {
  auto i = m.find(key);
  if (i == m.end())
    return std::nullopt;
  if (i->is_number_unsigned())
    return i->get<uint64_t>();
  if (i->is_number_integer() && i->get<int64_t>() >= 0)
    return static_cast<uint64_t>(i->get<int64_t>());
  return std::nullopt;
}

double get_num(const json& m, const char* key, double fallback) {
  auto i = m.find(key);
  return i != m.end() && i->is_number() ? i->get<double>() : fallback;
}

std::string get_str(const json& m, const char* key) {
  auto i = m.find(key);
  return i != m.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

bool get_bool(const json& m, const char* key, bool fallback) {
  auto i = m.find(key);
  return i != m.end() && i->is_boolean() ? i->get<bool>() : fallback;
}

/// "token expired" from {"error": "unauthorized", "reason": "token expired"}.
std::string refusal_reason(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    if (auto r = get_str(j, "reason"); !r.empty())
      return r;
    if (auto e = get_str(j, "error"); !e.empty())
      return e;
  }
  std::string line = body.substr(0, 200);
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

}  // namespace sof::cli
