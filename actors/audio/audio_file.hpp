#pragma once
// Reads a recording from disk into the engine's canonical format: PCM16,
// 16 kHz, mono. WAV (and anything libsndfile reads) at any common rate,
// channel count and bit depth is downmixed and resampled; headerless .raw /
// .pcm files are taken as PCM16 16 kHz mono.
#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sof::audio {

constexpr int canonical_rate = 16000;

struct source_info {
  std::string format;   // "wav", "raw", ...
  int sample_rate = 0;  // of the file
  int channels = 0;
  int64_t frames = 0;   // per channel, in the file's rate
};

struct decoded_audio {
  std::vector<int16_t> samples;  // 16 kHz mono
  source_info source;
  double seconds() const {
    return static_cast<double>(samples.size()) / canonical_rate;
  }
};

struct read_options {
  bool force_raw = false;          // treat as headerless PCM16 16 kHz mono
  double max_seconds = 4 * 3600.0; // refuse absurdly long input
};

/// Reads and converts a file; every failure is a one-line errc::bad_audio or
/// errc::io_error naming the file and the reason.
caf::expected<decoded_audio> read_file(const std::string& path,
                                       const read_options& opts = {});

/// Writes PCM16 mono at `rate` as a WAV file.
caf::error write_wav(const std::string& path, const std::vector<int16_t>& pcm,
                     int rate = canonical_rate);

/// Converts float samples in [-1, 1] at `rate` with `channels` interleaved
/// into 16 kHz mono PCM16 (downmix by averaging, then libsamplerate).
caf::expected<std::vector<int16_t>>
to_canonical(const std::vector<float>& interleaved, int rate, int channels);

}  // namespace sof::audio
