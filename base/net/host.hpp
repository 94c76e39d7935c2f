#pragma once
// Host names as the operator writes them: whether one only reaches this
// machine (sof serve's secret check, sof loadgen's refusal to load a
// remote server).

#include <string_view>

namespace sof::net {

/// Whether `host` (as in a URL: a name or an address without brackets) is
/// loopback: localhost, 127.0.0.0/8 as four decimal octets, or ::1.
bool is_loopback_host(std::string_view host);

}  // namespace sof::net
