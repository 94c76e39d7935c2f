// JWKS documents (transport/auth/jwks.cpp): fetched from the identity
// provider's URL or read from a file an operator names. A hostile or broken
// provider must not take the server down.
#include "actors/common/errors.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "transport/auth/jwks.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  fuzz::quiet_logs();
  std::string_view doc{reinterpret_cast<const char*>(data), size};
  auto keys = auth::detail::parse_jwks(doc, "fuzz");
  if (!keys)
    SOF_FUZZ_CHECK(keys.error() && !describe(keys.error()).empty());
  return 0;
}
