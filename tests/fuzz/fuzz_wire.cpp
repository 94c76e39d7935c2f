// The WebSocket wire decoder (transport/protocol/wire.cpp): every client
// frame the server receives goes through decode_client first.
#include "tests/fuzz/fuzz_support.hpp"
#include "actors/common/errors.hpp"
#include "transport/protocol/wire.hpp"

#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace sof;
  std::span<const uint8_t> bytes{data, size};
  if (auto m = wire::decode_client(bytes)) {
    // What the server accepts is a message its own encoder can write and
    // read back unchanged: nothing is half-parsed or silently altered.
    auto packed = wire::encode(*m);
    auto again = wire::decode_client(
      {reinterpret_cast<const uint8_t*>(packed.data()), packed.size()});
    SOF_FUZZ_CHECK(static_cast<bool>(again));
    SOF_FUZZ_CHECK(wire::encode(*again) == packed);
    SOF_FUZZ_CHECK(m->index() == again->index());
    if (auto* a = std::get_if<wire::audio>(&*m)) {
      SOF_FUZZ_CHECK(a->pcm.size() >= wire::min_frame_samples);
      SOF_FUZZ_CHECK(a->pcm.size() <= wire::max_frame_samples);
    }
  } else {
    // A refusal names what was wrong (the server sends it as the reason).
    SOF_FUZZ_CHECK(m.error() && m.error().category() == error_category
                   && m.error().code() == static_cast<uint8_t>(errc::bad_frame)
                   && !describe(m.error()).empty());
  }
  // The client side (sof client, loadgen) reads server messages the same way.
  if (auto s = wire::decode_server(bytes)) {
    SOF_FUZZ_CHECK(s->is_object() && s->contains("t"));
    (void) wire::encode_server(*s);
  }
  return 0;
}
