#include "base/net/host.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace sof::net {

bool is_loopback_host(std::string_view host) {
  std::string h{host};
  std::transform(h.begin(), h.end(), h.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1")
    return true;
  // 127.0.0.0/8, written as four decimal octets.
  int parts = 0;
  std::size_t pos = 0;
  int first = -1;
  while (pos <= h.size()) {
    auto dot = h.find('.', pos);
    auto part = h.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    int v = -1;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || part.size() > 3 || ec != std::errc{}
        || end != part.data() + part.size() || v < 0 || v > 255)
      return false;
    if (parts == 0)
      first = v;
    ++parts;
    if (dot == std::string::npos)
      break;
    pos = dot + 1;
  }
  return parts == 4 && first == 127;
}

}  // namespace sof::net
