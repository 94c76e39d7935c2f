#include "actors/transcription/transcription_core.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace sof;
using transcription::transcription_core;

namespace {

template <class T>
std::vector<T> only(const transcription::effects& fx) {
  std::vector<T> out;
  for (const auto& e : fx)
    if (auto* x = std::get_if<T>(&e))
      out.push_back(*x);
  return out;
}

std::vector<int16_t> samples(std::size_t n, int16_t v) {
  return std::vector<int16_t>(n, v);
}

}  // namespace

TEST(transcription_core, forwards_commands_and_emits_segments) {
  transcription_core core;
  auto fx = core.on_utterance_begin({0, 100});
  ASSERT_EQ(only<msg::stt_begin>(fx).size(), 1u);
  fx = core.on_utterance_audio({0, samples(1600, 1)});
  ASSERT_EQ(only<msg::stt_audio>(fx).size(), 1u);
  fx = core.on_utterance_end({0, 200});
  ASSERT_EQ(only<msg::stt_end>(fx).size(), 1u);
  EXPECT_FALSE(core.idle());
  auto out = core.on_final({0, "hello world"});
  ASSERT_TRUE(out);
  auto segs = only<msg::transcript_segment>(*out);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "hello world");
  EXPECT_EQ(segs[0].start_ms, 100);
  EXPECT_EQ(segs[0].end_ms, 200);
  EXPECT_TRUE(core.idle());
  EXPECT_EQ(core.held_samples(), 0u);
}

TEST(transcription_core, replay_resends_every_unconfirmed_sample_in_order) {
  transcription_core core;
  core.on_utterance_begin({0, 0});
  core.on_utterance_audio({0, samples(20000, 1)});
  core.on_utterance_end({0, 1250});
  core.on_utterance_begin({1, 2000});
  core.on_utterance_audio({1, samples(3000, 2)});
  core.on_utterance_audio({1, samples(3000, 3)});
  // Utterance 0 confirmed; utterance 1 still open.
  ASSERT_TRUE(core.on_final({0, "first"}));
  auto fx = core.replay();
  ASSERT_FALSE(fx.empty());
  auto begins = only<msg::stt_begin>(fx);
  ASSERT_EQ(begins.size(), 1u);
  EXPECT_EQ(begins[0].utt, 1u);
  EXPECT_EQ(begins[0].attempt, 1u);
  std::vector<int16_t> replayed;
  for (const auto& a : only<msg::stt_audio>(fx))
    replayed.insert(replayed.end(), a.pcm.begin(), a.pcm.end());
  ASSERT_EQ(replayed.size(), 6000u);
  EXPECT_EQ(replayed.front(), 2);
  EXPECT_EQ(replayed.back(), 3);
  EXPECT_TRUE(only<msg::stt_end>(fx).empty()) << "utterance 1 has not ended";
  // A second replay bumps the attempt again.
  EXPECT_EQ(only<msg::stt_begin>(core.replay())[0].attempt, 2u);
}

TEST(transcription_core, replay_after_end_includes_the_end) {
  transcription_core core;
  core.on_utterance_begin({4, 0});
  core.on_utterance_audio({4, samples(100, 1)});
  core.on_utterance_end({4, 10});
  auto fx = core.replay();
  EXPECT_EQ(only<msg::stt_end>(fx).size(), 1u);
}

TEST(transcription_core, rejects_garbage_and_keeps_the_audio) {
  transcription_core core;
  core.on_utterance_begin({0, 0});
  core.on_utterance_audio({0, samples(16000, 1)});
  core.on_utterance_end({0, 1000});
  std::string bad = "ok \x01\x02 text";
  EXPECT_FALSE(core.on_final({0, bad}));
  EXPECT_FALSE(core.on_final({0, std::string(5000, 'a')}));
  EXPECT_FALSE(core.on_final({0, "\xff\xfe"}));
  EXPECT_EQ(core.held_samples(), 16000u);
  EXPECT_TRUE(core.on_final({0, "fine"}));
}

TEST(transcription_core, ignores_finals_for_unknown_or_open_utterances) {
  transcription_core core;
  auto out = core.on_final({9, "stray"});
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->empty());
  core.on_utterance_begin({0, 0});
  out = core.on_final({0, "too early"});
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->empty());
  EXPECT_FALSE(core.idle());
}

TEST(transcription_core, validate_transcript_accepts_normal_text) {
  EXPECT_FALSE(transcription::validate_transcript(
    "we shard the ticket table by event id", 3000));
  EXPECT_FALSE(transcription::validate_transcript("", 0));
}

// Session adaptation: a fresh worker must start the first unconfirmed
// utterance from the state the last confirmed one handed on, and the rest
// of the replay follows on from there exactly as the live path did.
TEST(transcription_core, replay_starts_from_the_last_confirmed_state) {
  transcription_core core;
  for (uint32_t u : {0u, 1u, 2u}) {
    core.on_utterance_begin({u, u * 1000});
    core.on_utterance_audio({u, samples(1600, 1)});
    core.on_utterance_end({u, u * 1000 + 100});
  }
  // Live commands carry no state: the worker continues its own chain.
  auto live = only<msg::stt_begin>(core.on_utterance_begin({3, 3000}));
  ASSERT_EQ(live.size(), 1u);
  EXPECT_FALSE(live[0].set_state);
  // Nothing confirmed yet: the replay starts from the initial state.
  auto fx = only<msg::stt_begin>(core.replay());
  ASSERT_EQ(fx.size(), 4u);
  EXPECT_TRUE(fx[0].set_state);
  EXPECT_TRUE(fx[0].state.empty());
  msg::stt_final f0{0, "zero"};
  f0.start_state = {};
  f0.next_state = {1.f, 2.f};
  ASSERT_TRUE(core.on_final(f0));
  msg::stt_final f1{1, "one"};
  f1.start_state = {1.f, 2.f};
  f1.next_state = {3.f, 4.f};
  auto seg = core.on_final(f1);
  ASSERT_TRUE(seg);
  // The segment records the state its utterance was decoded from.
  auto segs = only<msg::transcript_segment>(*seg);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].adapt_state, (std::vector<float>{1.f, 2.f}));
  fx = only<msg::stt_begin>(core.replay());
  ASSERT_EQ(fx.size(), 2u);
  EXPECT_EQ(fx[0].utt, 2u);
  EXPECT_TRUE(fx[0].set_state);
  EXPECT_EQ(fx[0].state, (std::vector<float>{3.f, 4.f}));
  EXPECT_FALSE(fx[1].set_state) << "utterance 3 follows on from 2";
}

TEST(transcription_core, words_move_to_session_time_and_are_sanitised) {
  transcription_core core;
  core.on_utterance_begin({0, 5000});
  core.on_utterance_audio({0, samples(16000, 1)});  // 1 s
  core.on_utterance_end({0, 6000});
  msg::stt_final f{0, "we shard it"};
  f.words = {{"we", 100, 300, 0.9f},
             {"shard", 250, 700, 1.7f},   // overlaps, confidence > 1
             {"it", 700, 5000, std::nanf("")}};  // past the end, NaN
  f.alternatives = {"we shared it"};
  f.recognizer = "pocketsphinx";
  auto out = core.on_final(f);
  ASSERT_TRUE(out);
  auto seg = only<msg::transcript_segment>(*out).at(0);
  ASSERT_EQ(seg.words.size(), 3u);
  EXPECT_EQ(seg.words[0].start_ms, 5100);
  EXPECT_EQ(seg.words[1].confidence, 1.0f);
  EXPECT_EQ(seg.words[2].confidence, 0.0f);
  EXPECT_LE(seg.words[2].end_ms, 6000);
  for (std::size_t i = 1; i < seg.words.size(); ++i)
    EXPECT_GE(seg.words[i].start_ms, seg.words[i - 1].start_ms);
  EXPECT_EQ(seg.alternatives, f.alternatives);
  EXPECT_EQ(seg.recognizer, "pocketsphinx");
}

TEST(transcription_core, garbled_alternatives_are_refused_like_text) {
  transcription_core core;
  core.on_utterance_begin({0, 0});
  core.on_utterance_audio({0, samples(1600, 1)});
  core.on_utterance_end({0, 100});
  msg::stt_final f{0, "ok"};
  f.alternatives = {std::string("\xff\xfe", 2)};
  EXPECT_FALSE(core.on_final(f));
  EXPECT_FALSE(core.idle()) << "the utterance stays owed for replay";
}
