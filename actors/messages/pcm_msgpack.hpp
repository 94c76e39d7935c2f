#pragma once
// msgpack encoding of PCM16 audio. Every std::vector<int16_t> that crosses a
// serialisation boundary in this engine is PCM16 audio, so it is packed as
// one `bin` blob of little-endian samples (2 bytes a sample) instead of an
// array of integers (1-3 bytes a sample plus per-element work): journaling a
// 20 ms frame went from 4.3 us to 0.75 us (docs/BENCHMARKS.md). Decoding accepts
// the array form, with range checks, for hand-written clients.
#include <msgpack.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(v1) {
namespace adaptor {

template <>
struct pack<std::vector<int16_t>> {
  template <typename Stream>
  packer<Stream>& operator()(packer<Stream>& o,
                             const std::vector<int16_t>& v) const {
    const uint32_t bytes = checked_get_container_size(v.size() * 2);
    o.pack_bin(bytes);
    if constexpr (std::endian::native == std::endian::little) {
      o.pack_bin_body(reinterpret_cast<const char*>(v.data()), bytes);
    } else {
      std::vector<char> buf(bytes);
      for (std::size_t i = 0; i < v.size(); ++i) {
        auto u = static_cast<uint16_t>(v[i]);
        buf[2 * i] = static_cast<char>(u & 0xff);
        buf[2 * i + 1] = static_cast<char>(u >> 8);
      }
      o.pack_bin_body(buf.data(), bytes);
    }
    return o;
  }
};

template <>
struct convert<std::vector<int16_t>> {
  const msgpack::object& operator()(const msgpack::object& o,
                                    std::vector<int16_t>& v) const {
    if (o.type == msgpack::type::BIN) {
      if (o.via.bin.size % 2 != 0)
        throw msgpack::type_error();  // half a sample: not PCM16
      v.resize(o.via.bin.size / 2);
      const auto* p = reinterpret_cast<const unsigned char*>(o.via.bin.ptr);
      for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<int16_t>(p[2 * i] | (p[2 * i + 1] << 8));
      return o;
    }
    if (o.type != msgpack::type::ARRAY)
      throw msgpack::type_error();
    v.resize(o.via.array.size);
    for (uint32_t i = 0; i < o.via.array.size; ++i)
      v[i] = o.via.array.ptr[i].as<int16_t>();  // throws when out of range
    return o;
  }
};

template <>
struct as<std::vector<int16_t>, void> {
  std::vector<int16_t> operator()(const msgpack::object& o) const {
    std::vector<int16_t> v;
    convert<std::vector<int16_t>>()(o, v);
    return v;
  }
};

}  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE(v1)
}  // namespace msgpack
