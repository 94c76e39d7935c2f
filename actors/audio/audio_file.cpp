#include "actors/audio/audio_file.hpp"

#include "actors/common/errors.hpp"

#include <samplerate.h>
#include <sndfile.h>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace sof::audio {
namespace {

constexpr int min_rate = 4000;
constexpr int max_rate = 384000;
constexpr int max_channels = 32;

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size()
         && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                       [](char a, char b) { return std::tolower(a) == b; });
}

caf::error bad(const std::string& path, const std::string& why) {
  return make_error(errc::bad_audio, path + ": " + why);
}

caf::expected<decoded_audio> read_raw(const std::string& path,
                                      const read_options& opts) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::io_error, path + ": cannot open");
  std::vector<char> bytes{std::istreambuf_iterator<char>{in}, {}};
  if (bytes.empty())
    return bad(path, "empty file");
  if (bytes.size() % 2 != 0)
    return bad(path, "odd byte count: not PCM16 (truncated?)");
  decoded_audio out;
  out.samples.resize(bytes.size() / 2);
  for (size_t i = 0; i < out.samples.size(); ++i)
    out.samples[i] = static_cast<int16_t>(
      static_cast<uint8_t>(bytes[2 * i])
      | (static_cast<uint16_t>(static_cast<uint8_t>(bytes[2 * i + 1])) << 8));
  out.source = {"raw", canonical_rate, 1,
                static_cast<int64_t>(out.samples.size())};
  if (out.seconds() > opts.max_seconds)
    return bad(path, "longer than the limit of "
                       + std::to_string(static_cast<int>(opts.max_seconds))
                       + " s");
  return out;
}

// A RIFF/WAVE data chunk that declares more bytes than the file holds is a
// truncated upload; libsndfile silently reads what is there, so check.
caf::error check_wav_truncation(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  char hdr[12];
  if (!in.read(hdr, 12) || std::string(hdr, 4) != "RIFF"
      || std::string(hdr + 8, 4) != "WAVE")
    return {};
  in.seekg(0, std::ios::end);
  auto file_size = static_cast<uint64_t>(in.tellg());
  uint64_t pos = 12;
  while (pos + 8 <= file_size) {
    in.seekg(static_cast<std::streamoff>(pos));
    unsigned char ch[8];
    if (!in.read(reinterpret_cast<char*>(ch), 8))
      break;
    uint32_t size = ch[4] | (ch[5] << 8) | (ch[6] << 16)
                    | (static_cast<uint32_t>(ch[7]) << 24);
    if (std::string(reinterpret_cast<char*>(ch), 4) == "data") {
      // 0xFFFFFFFF / 0 are used by streaming writers for "unknown".
      if (size != 0xFFFFFFFFu && size != 0 && pos + 8 + size > file_size)
        return bad(path, "truncated WAV: data chunk declares "
                           + std::to_string(size) + " bytes, file holds "
                           + std::to_string(file_size - pos - 8));
      return {};
    }
    // In 64 bits: a chunk declaring ~4 GiB must not wrap the position
    // back onto itself (an endless loop on an 8-byte upload).
    pos += 8 + uint64_t{size} + (size & 1);
  }
  return {};
}

}  // namespace

caf::expected<std::vector<int16_t>>
to_canonical(const std::vector<float>& interleaved, int rate, int channels) {
  if (channels < 1 || channels > max_channels)
    return make_error(errc::bad_audio,
                      "unsupported channel count " + std::to_string(channels));
  if (rate < min_rate || rate > max_rate)
    return make_error(errc::bad_audio, "unsupported sample rate "
                                         + std::to_string(rate) + " Hz");
  size_t frames = interleaved.size() / channels;
  std::vector<float> mono(frames);
  for (size_t i = 0; i < frames; ++i) {
    float acc = 0;
    for (int c = 0; c < channels; ++c)
      acc += interleaved[i * channels + c];
    mono[i] = acc / channels;
  }
  std::vector<float> resampled;
  if (rate == canonical_rate) {
    resampled = std::move(mono);
  } else {
    double ratio = static_cast<double>(canonical_rate) / rate;
    resampled.resize(static_cast<size_t>(std::ceil(frames * ratio)) + 16);
    SRC_DATA d{};
    d.data_in = mono.data();
    d.input_frames = static_cast<long>(frames);
    d.data_out = resampled.data();
    d.output_frames = static_cast<long>(resampled.size());
    d.src_ratio = ratio;
    if (int rc = src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1); rc != 0)
      return make_error(errc::bad_audio,
                        std::string{"resampling failed: "} + src_strerror(rc));
    resampled.resize(static_cast<size_t>(d.output_frames_gen));
  }
  std::vector<int16_t> out(resampled.size());
  for (size_t i = 0; i < out.size(); ++i) {
    float v = std::clamp(resampled[i], -1.0f, 1.0f);
    out[i] = static_cast<int16_t>(std::lrint(v * 32767.0f));
  }
  return out;
}

caf::expected<decoded_audio> read_file(const std::string& path,
                                       const read_options& opts) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    return make_error(errc::io_error, path + ": no such file");
  if (S_ISDIR(st.st_mode))
    return make_error(errc::io_error, path + ": is a directory");
  if (st.st_size == 0)
    return bad(path, "empty file");
  if (opts.force_raw || has_suffix(path, ".raw") || has_suffix(path, ".pcm"))
    return read_raw(path, opts);
  if (auto err = check_wav_truncation(path))
    return err;
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f)
    return bad(path, std::string{"not a readable audio file ("}
                       + sf_strerror(nullptr) + ")");
  struct closer {
    SNDFILE* f;
    ~closer() { sf_close(f); }
  } guard{f};
  if (info.samplerate < min_rate || info.samplerate > max_rate)
    return bad(path, "unsupported sample rate "
                       + std::to_string(info.samplerate) + " Hz (supported "
                       + std::to_string(min_rate) + ".."
                       + std::to_string(max_rate) + ")");
  if (info.channels < 1 || info.channels > max_channels)
    return bad(path,
               "unsupported channel count " + std::to_string(info.channels));
  if (info.frames <= 0)
    return bad(path, "no audio samples");
  double secs = static_cast<double>(info.frames) / info.samplerate;
  if (secs > opts.max_seconds)
    return bad(path, "longer than the limit of "
                       + std::to_string(static_cast<int>(opts.max_seconds))
                       + " s");
  // The header's frame count is a claim: a few bytes can declare hours.
  // Read in blocks, so memory follows what the file really holds.
  constexpr sf_count_t block_frames = 16384;
  std::vector<float> block(static_cast<size_t>(block_frames) * info.channels);
  std::vector<float> buf;
  sf_count_t got = 0;
  while (got < info.frames) {
    sf_count_t n = sf_readf_float(f, block.data(),
                                  std::min(block_frames, info.frames - got));
    if (n <= 0)
      break;
    buf.insert(buf.end(), block.begin(),
               block.begin() + static_cast<std::ptrdiff_t>(n * info.channels));
    got += n;
  }
  if (got <= 0)
    return bad(path, "no audio samples could be decoded");
  auto pcm = to_canonical(buf, info.samplerate, info.channels);
  if (!pcm)
    return bad(path, describe(pcm.error()));
  // A decoder may yield a handful of frames that resample to nothing; an
  // empty recording "read successfully" would reach the engine as silence.
  if (pcm->empty())
    return bad(path, "no audio: shorter than one sample at 16 kHz");
  decoded_audio out;
  out.samples = std::move(*pcm);
  SF_FORMAT_INFO fi{};
  fi.format = info.format & SF_FORMAT_TYPEMASK;
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &fi, sizeof(fi));
  out.source = {fi.extension ? fi.extension : "audio", info.samplerate,
                info.channels, static_cast<int64_t>(got)};
  return out;
}

caf::error write_wav(const std::string& path, const std::vector<int16_t>& pcm,
                     int rate) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f)
    return make_error(errc::io_error, path + ": cannot write ("
                                        + sf_strerror(nullptr) + ")");
  auto n = sf_writef_short(f, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(f);
  if (n != static_cast<sf_count_t>(pcm.size()))
    return make_error(errc::io_error, path + ": short write");
  return {};
}

}  // namespace sof::audio
