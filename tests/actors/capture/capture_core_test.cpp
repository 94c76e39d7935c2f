#include "actors/capture/capture_core.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sof;
using capture::capture_core;

namespace {

// Synthetic signals: "speech" is a modulated tone at about -20 dBFS, the
// background is white noise at about -70 dBFS (or louder when asked).
class signal_builder {
 public:
  signal_builder& speech(int ms) {
    for (int i = 0; i < ms * 16; ++i, ++t_) {
      double env = 0.6 + 0.4 * std::sin(2 * M_PI * 4.0 * t_ / 16000.0);
      pcm_.push_back(static_cast<int16_t>(
        3000 * env * std::sin(2 * M_PI * 220.0 * t_ / 16000.0) + noise()));
    }
    return *this;
  }
  signal_builder& silence(int ms) {
    for (int i = 0; i < ms * 16; ++i, ++t_)
      pcm_.push_back(static_cast<int16_t>(noise()));
    return *this;
  }
  signal_builder& noise_level(double amplitude) {
    noise_amp_ = amplitude;
    return *this;
  }
  const std::vector<int16_t>& pcm() const { return pcm_; }

 private:
  double noise() { return noise_amp_ * dist_(rng_); }
  std::vector<int16_t> pcm_;
  uint64_t t_ = 0;
  double noise_amp_ = 10;
  std::mt19937 rng_{42};
  std::normal_distribution<double> dist_{0.0, 1.0};
};

struct collected {
  std::vector<msg::utterance_begin> begins;
  std::vector<msg::utterance_end> ends;
  std::vector<msg::turn_ended> turns;
  std::vector<msg::frame_rejected> rejected;
  std::size_t utterance_samples = 0;
};

void collect(collected& c, const capture::effects& fx) {
  for (const auto& e : fx) {
    if (auto* b = std::get_if<msg::utterance_begin>(&e))
      c.begins.push_back(*b);
    else if (auto* a = std::get_if<msg::utterance_audio>(&e))
      c.utterance_samples += a->pcm.size();
    else if (auto* u = std::get_if<msg::utterance_end>(&e))
      c.ends.push_back(*u);
    else if (auto* t = std::get_if<msg::turn_ended>(&e))
      c.turns.push_back(*t);
    else if (auto* r = std::get_if<msg::frame_rejected>(&e))
      c.rejected.push_back(*r);
  }
}

collected feed(capture_core& core, const std::vector<int16_t>& pcm,
               bool end = true) {
  collected c;
  uint64_t seq = 0;
  for (std::size_t off = 0; off < pcm.size(); off += 320, ++seq) {
    auto last = std::min(pcm.size(), off + 320);
    collect(c, core.on_frame(msg::audio_frame{
                 seq, 0, std::vector<int16_t>(pcm.begin() + off,
                                              pcm.begin() + last)}));
  }
  if (end)
    collect(c, core.on_end_of_audio());
  return c;
}

config::capture_settings defaults() {
  return config::capture_settings{};
}

}  // namespace

TEST(capture_core, short_gap_keeps_one_utterance) {
  capture_core core{defaults()};
  signal_builder s;
  s.silence(500).speech(1000).silence(250).speech(1000).silence(600);
  auto c = feed(core, s.pcm());
  EXPECT_EQ(c.begins.size(), 1u);
  EXPECT_EQ(c.ends.size(), 1u);
}

TEST(capture_core, phrase_gap_splits_utterances_but_not_the_turn) {
  capture_core core{defaults()};
  signal_builder s;
  // A 1.5 s thinking pause: two utterances, still one turn.
  s.silence(500).speech(1200).silence(1500).speech(1200).silence(300);
  auto c = feed(core, s.pcm(), false);
  EXPECT_EQ(c.begins.size(), 2u);
  EXPECT_TRUE(c.turns.empty()) << "a thinking pause must not end the turn";
  collect(c, core.on_end_of_audio());
  ASSERT_EQ(c.turns.size(), 1u);
  EXPECT_TRUE(c.turns[0].end_of_audio);
  auto d = core.delivery();
  EXPECT_EQ(d.pauses, 1u);
  EXPECT_NEAR(d.longest_pause_seconds, 1.5, 0.15);
  EXPECT_NEAR(d.speaking_seconds, 2.4, 0.2);
  EXPECT_NEAR(d.time_to_first_speech_seconds, 0.5, 0.1);
}

TEST(capture_core, long_silence_ends_the_turn) {
  capture_core core{defaults()};
  signal_builder s;
  s.silence(400).speech(1500).silence(3000);
  auto c = feed(core, s.pcm(), false);
  ASSERT_EQ(c.turns.size(), 1u);
  EXPECT_FALSE(c.turns[0].end_of_audio);
  EXPECT_NEAR(c.turns[0].at_ms, 1900, 80);
  EXPECT_GE(c.turns[0].silence_ms, 2500);
  EXPECT_LT(c.turns[0].silence_ms, 2600);
}

TEST(capture_core, end_of_turn_is_configurable) {
  auto cfg = defaults();
  cfg.end_of_turn_ms = 1000;
  capture_core core{cfg};
  signal_builder s;
  s.silence(400).speech(1000).silence(1500).speech(800).silence(200);
  auto c = feed(core, s.pcm(), false);
  EXPECT_EQ(c.turns.size(), 1u);
  EXPECT_EQ(c.begins.size(), 2u);
}

TEST(capture_core, utterance_keeps_pre_roll_and_all_speech) {
  capture_core core{defaults()};
  signal_builder s;
  s.silence(1000).speech(2000).silence(1000);
  auto c = feed(core, s.pcm());
  ASSERT_EQ(c.begins.size(), 1u);
  EXPECT_LE(c.begins[0].start_ms, 1000 - 150);
  EXPECT_GE(c.begins[0].start_ms, 1000 - 260);
  ASSERT_EQ(c.ends.size(), 1u);
  EXPECT_NEAR(c.ends[0].end_ms, 3000, 60);
  // All 2 s of speech reached the recogniser, plus pre-roll and tail.
  EXPECT_GE(c.utterance_samples, 2200u * 16);
}

TEST(capture_core, adapts_to_background_noise) {
  capture_core core{defaults()};
  signal_builder s;
  s.noise_level(300);  // about -40 dBFS of constant noise
  s.silence(2000).speech(1500).silence(1000).speech(1500).silence(800);
  auto c = feed(core, s.pcm());
  EXPECT_EQ(c.begins.size(), 2u) << "noise alone must not be speech";
}

TEST(capture_core, silence_only_has_no_utterance_and_no_turn) {
  capture_core core{defaults()};
  signal_builder s;
  s.silence(3000);
  auto c = feed(core, s.pcm());
  EXPECT_TRUE(c.begins.empty());
  EXPECT_TRUE(c.turns.empty());
  EXPECT_NEAR(core.delivery().audio_seconds, 3.0, 0.001);
}

TEST(capture_core, rejects_malformed_frames_and_keeps_going) {
  capture_core core{defaults()};
  collected c;
  collect(c, core.on_frame(msg::audio_frame{0, 0, {}}));
  collect(c, core.on_frame(msg::audio_frame{0, 0, std::vector<int16_t>(5000)}));
  collect(c, core.on_frame(msg::audio_frame{1ull << 40, 0,
                                            std::vector<int16_t>(320)}));
  ASSERT_EQ(c.rejected.size(), 3u);
  EXPECT_NE(c.rejected[1].reason.find("5000 samples"), std::string::npos);
  EXPECT_NE(c.rejected[2].reason.find("too far ahead"), std::string::npos);
  EXPECT_EQ(core.counters().rejected, 3u);
  // A valid frame 0 is still accepted afterwards.
  collect(c, core.on_frame(msg::audio_frame{0, 0, std::vector<int16_t>(320)}));
  EXPECT_EQ(core.next_seq(), 1u);
}

TEST(capture_core, out_of_order_delivery_gives_the_same_segmentation) {
  signal_builder s;
  s.silence(500).speech(1200).silence(900).speech(1000).silence(700);
  capture_core in_order{defaults()};
  auto a = feed(in_order, s.pcm());
  // Same audio, frames swapped in pairs and each sent twice.
  capture_core shuffled{defaults()};
  collected b;
  const auto& pcm = s.pcm();
  std::vector<msg::audio_frame> frames;
  for (std::size_t off = 0, seq = 0; off < pcm.size(); off += 320, ++seq)
    frames.push_back({seq, 0, std::vector<int16_t>(
                                pcm.begin() + off,
                                pcm.begin() + std::min(pcm.size(), off + 320))});
  for (std::size_t i = 0; i + 1 < frames.size(); i += 2) {
    collect(b, shuffled.on_frame(frames[i + 1]));
    collect(b, shuffled.on_frame(frames[i]));
    collect(b, shuffled.on_frame(frames[i + 1]));
  }
  if (frames.size() % 2)
    collect(b, shuffled.on_frame(frames.back()));
  collect(b, shuffled.on_end_of_audio());
  ASSERT_EQ(a.begins.size(), b.begins.size());
  for (std::size_t i = 0; i < a.begins.size(); ++i)
    EXPECT_EQ(a.begins[i].start_ms, b.begins[i].start_ms);
  EXPECT_EQ(a.utterance_samples, b.utterance_samples);
  EXPECT_GT(shuffled.counters().duplicates, 0u);
  EXPECT_EQ(shuffled.counters().gaps, 0u);
}

TEST(capture_core, frames_after_end_are_rejected) {
  capture_core core{defaults()};
  core.on_end_of_audio();
  collected c;
  collect(c, core.on_frame(msg::audio_frame{0, 0, std::vector<int16_t>(320)}));
  EXPECT_EQ(c.rejected.size(), 1u);
}
