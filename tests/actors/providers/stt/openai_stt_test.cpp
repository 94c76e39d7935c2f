// The remote speech-to-text provider against a loopback server that speaks
// the OpenAI-compatible /v1/audio/transcriptions protocol.
#include "actors/common/errors.hpp"
#include "actors/providers/stt/stt_provider.hpp"

#include "tests/support/loopback_server.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

using namespace sof;

namespace {

// The protocol server of this test (tests/support/loopback_server.hpp).
struct loopback_server : test::loopback_server {
  loopback_server() : test::loopback_server("tests/actors/providers/stt/openai_transcriptions_server.py") {}
};

config::stt_settings settings_for(int port, const std::string& model,
                                  int timeout_ms = 5000) {
  config::stt_settings s;
  s.provider = "openai";
  s.openai.url = "http://127.0.0.1:" + std::to_string(port)
                 + "/v1/audio/transcriptions";
  s.openai.model = model;
  s.openai.api_key_env = "SOF_TEST_STT_KEY_UNSET";
  s.openai.timeout_ms = timeout_ms;
  return s;
}

caf::expected<std::string> transcribe(const config::stt_settings& s,
                                      const std::vector<int16_t>& pcm) {
  auto p = stt::default_registry().create(s);
  if (!p)
    return p.error();
  if (auto err = (*p)->begin_utterance({}))
    return err;
  // Fed in uneven chunks, as the worker would.
  for (std::size_t off = 0; off < pcm.size(); off += 333)
    if (auto err = (*p)->feed(std::span<const int16_t>(
          pcm.data() + off, std::min<std::size_t>(333, pcm.size() - off))))
      return err;
  auto res = (*p)->end_utterance();
  if (!res)
    return std::move(res.error());
  return res->text;
}

std::vector<int16_t> ramp(std::size_t n) {
  std::vector<int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<int16_t>((i * 37) % 2000 - 1000);
  return v;
}

uint16_t checksum(const std::vector<int16_t>& v) {
  long long s = 0;
  for (auto x : v)
    s += x;
  return static_cast<uint16_t>(s & 0xffff);
}

}  // namespace

TEST(openai_stt, uploads_the_whole_utterance_as_wav_and_returns_the_text) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto pcm = ramp(16000 + 123);
  auto text = transcribe(settings_for(server.port(), "echo"), pcm);
  ASSERT_TRUE(text) << describe(text.error());
  EXPECT_EQ(*text, "received 16123 samples checksum "
                     + std::to_string(checksum(pcm)));
}

TEST(openai_stt, sends_the_api_key_from_the_environment) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto s = settings_for(server.port(), "echo");
  s.openai.api_key_env = "SOF_TEST_STT_KEY";
  setenv("SOF_TEST_STT_KEY", "secret", 1);
  auto text = transcribe(s, ramp(800));
  unsetenv("SOF_TEST_STT_KEY");
  ASSERT_TRUE(text) << describe(text.error());
  EXPECT_NE(text->find("with bearer"), std::string::npos) << *text;
}

TEST(openai_stt, server_errors_are_error_values) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto e500 = transcribe(settings_for(server.port(), "error500"), ramp(800));
  ASSERT_FALSE(e500);
  EXPECT_NE(describe(e500.error()).find("HTTP 500"), std::string::npos);
  auto bad = transcribe(settings_for(server.port(), "badjson"), ramp(800));
  ASSERT_FALSE(bad);
  EXPECT_NE(describe(bad.error()).find("not {\"text\""), std::string::npos);
  auto slow = transcribe(settings_for(server.port(), "slow", 500), ramp(800));
  ASSERT_FALSE(slow);
  EXPECT_EQ(static_cast<errc>(slow.error().code()), errc::provider_timeout);
}

TEST(openai_stt, word_timings_with_probabilities_are_kept) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto p = stt::default_registry().create(settings_for(server.port(), "words"));
  ASSERT_TRUE(p);
  ASSERT_FALSE((*p)->begin_utterance({}));
  auto pcm = ramp(4000);
  ASSERT_FALSE((*p)->feed(pcm));
  auto res = (*p)->end_utterance();
  ASSERT_TRUE(res) << describe(res.error());
  // "received 4000 samples checksum N": five words, 250 ms apart.
  ASSERT_EQ(res->words.size(), 5u);
  EXPECT_EQ(res->words[0].word, "received");
  EXPECT_EQ(res->words[1].start_ms, 250);
  EXPECT_EQ(res->words[1].end_ms, 450);
  EXPECT_FLOAT_EQ(res->words[4].confidence, 0.75f);
}

TEST(openai_stt, word_timings_without_confidences_are_not_invented) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto p = stt::default_registry().create(
    settings_for(server.port(), "words_noprob"));
  ASSERT_TRUE(p);
  ASSERT_FALSE((*p)->begin_utterance({}));
  ASSERT_FALSE((*p)->feed(ramp(4000)));
  auto res = (*p)->end_utterance();
  ASSERT_TRUE(res) << describe(res.error());
  EXPECT_FALSE(res->text.empty());
  EXPECT_TRUE(res->words.empty());
}

TEST(openai_stt, invalid_utf8_in_the_reply_is_an_error_value) {
  loopback_server server;
  ASSERT_GT(server.port(), 0);
  auto bad = transcribe(settings_for(server.port(), "badutf8"), ramp(800));
  ASSERT_FALSE(bad);
  EXPECT_EQ(static_cast<errc>(bad.error().code()), errc::provider_failed);
}

TEST(openai_stt, unreachable_server_is_an_error_value) {
  // Port 9 (discard) on loopback: nothing listens there in the test sandbox.
  auto text = transcribe(settings_for(9, "echo", 2000), ramp(800));
  ASSERT_FALSE(text);
  EXPECT_EQ(static_cast<errc>(text.error().code()), errc::provider_failed);
}

TEST(openai_stt, empty_utterance_needs_no_request) {
  auto text = transcribe(settings_for(9, "echo"), {});
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->empty());
}
