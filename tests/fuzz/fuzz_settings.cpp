// The service configuration (config/settings.cpp, sof.toml): bad
// configuration must stop start-up with a clear message, never crash it.
#include "actors/common/errors.hpp"
#include "config/settings.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  fuzz::quiet_logs();
  std::string text{reinterpret_cast<const char*>(data), size};
  auto s = config::parse(text, "fuzz.toml");
  if (!s) {
    SOF_FUZZ_CHECK(s.error() && !describe(s.error()).empty());
    return 0;
  }
  if (auto err = config::validate(*s))
    SOF_FUZZ_CHECK(!describe(err).empty());
  return 0;
}
