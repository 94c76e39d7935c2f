#include "actors/audio/audio_file.hpp"

#include "actors/common/errors.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace sof;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path()
           / ("sof_audio_test_" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// Writes a 440 Hz tone with libsndfile in the requested layout.
void write_tone(const std::string& path, int rate, int channels, int format,
                double seconds) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  auto frames = static_cast<size_t>(rate * seconds);
  std::vector<float> buf(frames * channels);
  for (size_t i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      buf[i * channels + c] = 0.5f * std::sin(2 * M_PI * 440.0 * i / rate);
  sf_writef_float(f, buf.data(), static_cast<sf_count_t>(frames));
  sf_close(f);
}

std::string error_of(const caf::expected<audio::decoded_audio>& r) {
  return r ? std::string{} : describe(r.error());
}

}  // namespace

TEST(audio_file, converts_any_common_layout_to_16k_mono) {
  temp_dir dir;
  struct layout {
    int rate, channels, format;
  };
  for (auto l : {layout{16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16},
                 layout{44100, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT},
                 layout{48000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_24},
                 layout{8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8},
                 layout{22050, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16}}) {
    auto path = dir.file("tone_" + std::to_string(l.rate) + "_"
                         + std::to_string(l.channels) + ".snd");
    write_tone(path, l.rate, l.channels, l.format, 1.5);
    auto r = audio::read_file(path);
    ASSERT_TRUE(r) << error_of(r);
    EXPECT_NEAR(r->seconds(), 1.5, 0.01) << l.rate;
    EXPECT_EQ(r->source.sample_rate, l.rate);
    EXPECT_EQ(r->source.channels, l.channels);
    // The tone survives: RMS of a 0.5 sine is ~0.354 of full scale.
    double acc = 0;
    for (auto s : r->samples)
      acc += static_cast<double>(s) * s;
    double rms = std::sqrt(acc / r->samples.size()) / 32767.0;
    EXPECT_NEAR(rms, 0.354, 0.03) << l.rate;
  }
}

TEST(audio_file, reads_headerless_pcm) {
  temp_dir dir;
  auto path = dir.file("x.raw");
  {
    std::ofstream out{path, std::ios::binary};
    int16_t v[4] = {1, -2, 300, -32768};
    out.write(reinterpret_cast<char*>(v), sizeof(v));
  }
  auto r = audio::read_file(path);
  ASSERT_TRUE(r) << error_of(r);
  EXPECT_EQ(r->samples, (std::vector<int16_t>{1, -2, 300, -32768}));
}

TEST(audio_file, reads_the_shared_real_speech) {
  auto r = audio::read_file(std::string{SOF_SHARED_DIR}
                            + "/speech/pocketsphinx_goforward.wav");
  ASSERT_TRUE(r) << error_of(r);
  EXPECT_GT(r->seconds(), 1.0);
  EXPECT_EQ(r->source.sample_rate, 16000);
}

TEST(audio_file, bad_input_is_a_clear_error) {
  temp_dir dir;
  EXPECT_NE(error_of(audio::read_file(dir.file("missing.wav"))).find("no such file"),
            std::string::npos);
  EXPECT_NE(error_of(audio::read_file(dir.path.string())).find("directory"),
            std::string::npos);
  auto empty = dir.file("empty.wav");
  std::ofstream{empty}.close();
  EXPECT_NE(error_of(audio::read_file(empty)).find("empty"), std::string::npos);
  auto text = dir.file("notes.wav");
  std::ofstream{text} << "these are my interview notes, not audio\n";
  EXPECT_NE(error_of(audio::read_file(text)).find("not a readable audio file"),
            std::string::npos);
  auto odd = dir.file("odd.raw");
  std::ofstream{odd, std::ios::binary} << "abc";
  EXPECT_NE(error_of(audio::read_file(odd)).find("odd byte count"),
            std::string::npos);
}

TEST(audio_file, truncated_wav_is_reported) {
  temp_dir dir;
  auto path = dir.file("trunc.wav");
  write_tone(path, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2.0);
  fs::resize_file(path, fs::file_size(path) / 2);
  auto err = error_of(audio::read_file(path));
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;
}

TEST(audio_file, chunk_size_near_4_gib_does_not_loop) {
  // A chunk of 0xFFFFFFF8 bytes once wrapped the 32-bit chunk walk back onto
  // itself: an endless loop on a 20-byte upload (tests/fuzz/regressions/wav).
  temp_dir dir;
  auto path = dir.file("wrap.wav");
  {
    std::ofstream out{path, std::ios::binary};
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<char*>(&v), 4); };
    out.write("RIFF", 4); u32(100); out.write("WAVE", 4);
    out.write("junk", 4); u32(0xFFFFFFF8u); out.write("data", 4); u32(0);
  }
  auto got = audio::read_file(path);
  ASSERT_FALSE(got);
  EXPECT_NE(describe(got.error()).find("wrap.wav"), std::string::npos);
}

TEST(audio_file, absurd_sample_rate_is_refused) {
  temp_dir dir;
  // A hand-made WAV header claiming 1 Hz, and one claiming 3 GHz.
  for (uint32_t rate : {1u, 3000000000u}) {
    auto path = dir.file("rate" + std::to_string(rate) + ".wav");
    std::ofstream out{path, std::ios::binary};
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<char*>(&v), 2); };
    out.write("RIFF", 4); u32(36 + 8); out.write("WAVE", 4);
    out.write("fmt ", 4); u32(16); u16(1); u16(1); u32(rate); u32(rate * 2);
    u16(2); u16(16);
    out.write("data", 4); u32(8);
    for (int i = 0; i < 4; ++i) u16(0);
    out.close();
    auto err = error_of(audio::read_file(path));
    EXPECT_FALSE(err.empty()) << rate;
  }
}

TEST(audio_file, write_then_read_round_trips) {
  temp_dir dir;
  std::vector<int16_t> pcm(1600);
  for (size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<int16_t>(i * 7);
  auto path = dir.file("rt.wav");
  ASSERT_FALSE(audio::write_wav(path, pcm));
  auto r = audio::read_file(path);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->samples, pcm);
}
