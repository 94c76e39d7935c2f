// The remote text-to-speech provider against a loopback server that speaks
// the OpenAI-compatible /v1/audio/speech protocol and streams a sine tone
// (24 kHz, 60 ms per input character, 4801-byte pieces 20 ms apart).
#include "actors/common/errors.hpp"
#include "actors/providers/tts/openai/openai_tts_provider.hpp"

#include "tests/support/loopback_server.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace sof;
using clock_type = std::chrono::steady_clock;

namespace {

// The protocol server of this test (tests/support/loopback_server.hpp).
struct loopback_server : test::loopback_server {
  loopback_server() : test::loopback_server("tests/actors/providers/tts/openai_speech_server.py") {}
};

constexpr int chunk_ms = 20;
constexpr std::size_t chunk_samples = 16 * chunk_ms;

config::tts_settings settings_for(int port, const std::string& model,
                                  int timeout_ms = 5000) {
  config::tts_settings s;
  s.chunk_ms = chunk_ms;
  s.openai.url = "http://127.0.0.1:" + std::to_string(port)
                 + "/v1/audio/speech";
  s.openai.model = model;
  s.openai.api_key_env = "SOF_TEST_TTS_KEY_UNSET";
  s.openai.timeout_ms = timeout_ms;
  return s;
}

// What the sink saw during one synthesize call.
struct run {
  caf::error err;
  std::vector<std::size_t> chunk_sizes;
  std::vector<int16_t> pcm;
  clock_type::duration first_chunk{};
  clock_type::duration total{};
};

run speak(const config::tts_settings& s, const std::string& text,
          std::optional<std::size_t> stop_after = std::nullopt,
          const std::string& voice = {}) {
  run r;
  auto p = tts::make_openai_tts_provider(s, voice);
  if (!p) {
    r.err = p.error();
    return r;
  }
  const auto start = clock_type::now();
  r.err = (*p)->synthesize(text, [&](std::span<const int16_t> pcm) {
    if (r.chunk_sizes.empty())
      r.first_chunk = clock_type::now() - start;
    r.chunk_sizes.push_back(pcm.size());
    r.pcm.insert(r.pcm.end(), pcm.begin(), pcm.end());
    return !stop_after || r.chunk_sizes.size() < *stop_after;
  });
  r.total = clock_type::now() - start;
  return r;
}

// Length in 16 kHz samples of the server's tone for `text`.
std::size_t expected_samples(const std::string& text) {
  return 16 * std::min<std::size_t>(text.size() * 60, 20000);
}

const std::string sentence = "The quick brown fox jumps over the lazy dog.";

}  // namespace

TEST(openai_tts, factory_uses_the_configured_voice_unless_given_one) {
  auto s = settings_for(9, "tts-1");
  auto p = tts::make_openai_tts_provider(s, "");
  ASSERT_TRUE(p) << describe(p.error());
  EXPECT_EQ((*p)->name(), "openai");
  EXPECT_EQ((*p)->voice(), "alloy");
  auto q = tts::make_openai_tts_provider(s, "nova");
  ASSERT_TRUE(q) << describe(q.error());
  EXPECT_EQ((*q)->voice(), "nova");
}

TEST(openai_tts, streams_fixed_size_chunks_of_the_whole_tone) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "tts-1"), sentence);
  ASSERT_FALSE(r.err) << describe(r.err);
  ASSERT_GT(r.chunk_sizes.size(), 1u);
  for (std::size_t i = 0; i + 1 < r.chunk_sizes.size(); ++i)
    ASSERT_EQ(r.chunk_sizes[i], chunk_samples) << "chunk " << i;
  EXPECT_GT(r.chunk_sizes.back(), 0u);
  EXPECT_LE(r.chunk_sizes.back(), chunk_samples);
  // 24 kHz -> 16 kHz: the resampler may shift the length by a few samples.
  const auto want = static_cast<long>(expected_samples(sentence));
  EXPECT_NEAR(static_cast<long>(r.pcm.size()), want, 16 * 5);
}

TEST(openai_tts, audio_is_the_servers_tone) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "tts-1", 5000), sentence, {},
                 "shimmer");
  ASSERT_FALSE(r.err) << describe(r.err);
  ASSERT_GT(r.pcm.size(), 16000u);
  // Skip the resampler's edges, then compare with an 8000-amplitude sine.
  std::span<const int16_t> mid{r.pcm.data() + 800, r.pcm.size() - 1600};
  double sum = 0;
  std::size_t crossings = 0;
  for (std::size_t i = 0; i < mid.size(); ++i) {
    sum += static_cast<double>(mid[i]) * mid[i];
    if (i && (mid[i - 1] < 0) != (mid[i] < 0))
      ++crossings;
  }
  const double rms = std::sqrt(sum / mid.size());
  EXPECT_NEAR(rms, 8000 / std::sqrt(2.0), 300);
  // 440 Hz: 880 sign changes per second. A byte-misaligned stream would be
  // noise with thousands.
  const double per_second = crossings * 16000.0 / mid.size();
  EXPECT_NEAR(per_second, 880, 20);
}

TEST(openai_tts, first_chunk_arrives_while_the_body_is_still_streaming) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  // 120 characters: 7.2 s of tone, ~72 pieces with 20 ms pauses between.
  const std::string text(120, 'a');
  auto r = speak(settings_for(server.port(), "tts-1"), text);
  ASSERT_FALSE(r.err) << describe(r.err);
  ASSERT_FALSE(r.chunk_sizes.empty());
  EXPECT_LT(r.first_chunk, r.total);
  // The server spends >1.4 s pausing after its first piece; buffering the
  // whole body would put the first chunk at the very end.
  EXPECT_LT(r.first_chunk * 2, r.total)
    << "first chunk "
    << std::chrono::duration_cast<std::chrono::milliseconds>(r.first_chunk)
         .count()
    << " ms of "
    << std::chrono::duration_cast<std::chrono::milliseconds>(r.total).count()
    << " ms";
}

TEST(openai_tts, cancelling_from_the_sink_stops_early_without_error) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  const std::string text(300, 'a');  // 18 s of tone: 900 chunks
  auto r = speak(settings_for(server.port(), "tts-1"), text, 2);
  EXPECT_FALSE(r.err) << describe(r.err);
  EXPECT_EQ(r.chunk_sizes.size(), 2u);
}

TEST(openai_tts, sends_the_api_key_from_the_environment) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto s = settings_for(server.port(), "need-key");
  auto without = speak(s, "hello");
  ASSERT_TRUE(without.err);
  EXPECT_NE(describe(without.err).find("401"), std::string::npos)
    << describe(without.err);
  s.openai.api_key_env = "SOF_TEST_TTS_KEY";
  setenv("SOF_TEST_TTS_KEY", "test-key", 1);
  auto with = speak(s, "hello");
  unsetenv("SOF_TEST_TTS_KEY");
  EXPECT_FALSE(with.err) << describe(with.err);
  EXPECT_NEAR(static_cast<long>(with.pcm.size()),
              static_cast<long>(expected_samples("hello")), 16 * 5);
}

TEST(openai_tts, the_voice_is_sent_to_the_server) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "tts-1"), "hello", {}, "robot");
  ASSERT_TRUE(r.err);
  EXPECT_NE(describe(r.err).find("unknown voice"), std::string::npos)
    << describe(r.err);
  EXPECT_TRUE(r.chunk_sizes.empty());
}

TEST(openai_tts, server_errors_are_error_values_not_audio) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "fail-500"), sentence);
  ASSERT_TRUE(r.err);
  EXPECT_EQ(static_cast<errc>(r.err.code()), errc::provider_failed);
  EXPECT_NE(describe(r.err).find("500"), std::string::npos) << describe(r.err);
  EXPECT_NE(describe(r.err).find("model overloaded"), std::string::npos);
  EXPECT_TRUE(r.chunk_sizes.empty());
}

TEST(openai_tts, empty_body_is_an_error) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "empty"), sentence);
  ASSERT_TRUE(r.err);
  EXPECT_NE(describe(r.err).find("no audio"), std::string::npos)
    << describe(r.err);
}

TEST(openai_tts, slow_server_times_out) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto r = speak(settings_for(server.port(), "slow", 500), sentence);
  ASSERT_TRUE(r.err);
  EXPECT_EQ(static_cast<errc>(r.err.code()), errc::provider_timeout);
  EXPECT_LT(r.total, std::chrono::milliseconds(2500));
}

TEST(openai_tts, unreachable_server_is_an_error_value) {
  // Port 9 (discard) on loopback: nothing listens there in the test sandbox.
  auto r = speak(settings_for(9, "tts-1", 2000), sentence);
  ASSERT_TRUE(r.err);
  EXPECT_EQ(static_cast<errc>(r.err.code()), errc::provider_failed);
}

TEST(openai_tts, non_http_url_is_refused_by_the_factory) {
  auto s = settings_for(9, "tts-1");
  s.openai.url = "ftp://127.0.0.1/v1/audio/speech";
  auto p = tts::make_openai_tts_provider(s, "");
  ASSERT_FALSE(p);
  EXPECT_EQ(static_cast<errc>(p.error().code()), errc::invalid_config);
  s.openai.url = "127.0.0.1:8080/v1/audio/speech";
  EXPECT_FALSE(tts::make_openai_tts_provider(s, ""));
}
