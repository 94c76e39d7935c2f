#pragma once
// The WebSocket wire protocol (docs/protocol.md): every message is one
// binary WebSocket frame holding one msgpack map {"v": 1, "t": TYPE, ...}.
// Maps with string keys, so a browser's msgpack library reads them as
// plain objects; audio travels as msgpack bin (PCM16 little-endian).
// Decoding is for untrusted bytes: every failure is an error value that
// names what was wrong, never an exception or a crash.
#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sof::wire {

constexpr int version = 1;
/// Largest message accepted from a client (a 60 ms frame is ~2 KB).
constexpr std::size_t max_client_message = 16 * 1024;
/// Deepest nesting of maps and arrays accepted in a client message. The
/// protocol needs two levels; the msgpack reader recurses once per level,
/// so without a bound a 16 KB message of nested arrays takes ~16,000 stack
/// frames.
constexpr std::size_t max_client_depth = 16;
/// Nesting accepted from a server (decode_server; scorecards are ~6 deep).
constexpr std::size_t max_server_depth = 64;
/// Audio frames: PCM16 16 kHz mono, 10..60 ms.
constexpr std::size_t min_frame_samples = 160;
constexpr std::size_t max_frame_samples = 960;

// -- client -> server ---------------------------------------------------------

struct start {
  std::string question;  // question id (new session)
  std::string resume;    // session id to resume instead
  bool followups = true;
  bool voice = true;
  bool read_prompt = false;  // with voice: the interviewer reads the question
};
struct audio {
  uint64_t seq = 0;
  int64_t ts_ms = 0;
  std::vector<int16_t> pcm;
};
struct end {};
struct ping {
  uint64_t id = 0;
};
using client_message = std::variant<start, audio, end, ping>;

caf::expected<client_message> decode_client(std::span<const uint8_t> bytes);
std::string encode(const client_message& m);

// -- server -> client ---------------------------------------------------------

/// Adds "v" and packs; `msg` must have "t".
std::string encode_server(nlohmann::json msg);
/// For clients (sof client, tests): unpacks and checks "v" and "t".
caf::expected<nlohmann::json> decode_server(std::span<const uint8_t> bytes);

/// PCM as msgpack bin (little-endian PCM16) inside a json value.
nlohmann::json pcm_bin(const std::vector<int16_t>& pcm);
caf::expected<std::vector<int16_t>> pcm_from(const nlohmann::json& bin);

nlohmann::json error_message(const std::string& code, const std::string& message,
                             bool fatal);

/// `text` cut to at most `max` bytes without splitting a UTF-8 sequence:
/// for quoting a client's string in an error, which must stay valid UTF-8
/// (msgpack str and JSON are both UTF-8).
std::string clip_utf8(std::string_view text, std::size_t max);

}  // namespace sof::wire
