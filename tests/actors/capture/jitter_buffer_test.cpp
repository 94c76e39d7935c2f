#include "actors/capture/jitter_buffer.hpp"

#include <gtest/gtest.h>

using sof::capture::jitter_buffer;
using sof::msg::audio_frame;

namespace {

audio_frame frame(uint64_t seq, int16_t value = 1) {
  // In unsigned arithmetic: the absurd-jump test passes seq = 2^62.
  return audio_frame{seq, static_cast<int64_t>(seq * 20),
                     std::vector<int16_t>(320, value)};
}

std::vector<uint64_t> seqs(const std::vector<audio_frame>& fs) {
  std::vector<uint64_t> out;
  for (const auto& f : fs)
    out.push_back(f.seq);
  return out;
}

}  // namespace

TEST(jitter_buffer, in_order_frames_pass_straight_through) {
  jitter_buffer jb{8};
  std::vector<audio_frame> out;
  for (uint64_t i = 0; i < 5; ++i)
    EXPECT_EQ(jb.push(frame(i), out), jitter_buffer::verdict::accepted);
  EXPECT_EQ(seqs(out), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(jb.held(), 0u);
  EXPECT_EQ(jb.counters().reordered, 0u);
}

TEST(jitter_buffer, reorders_within_window) {
  jitter_buffer jb{8};
  std::vector<audio_frame> out;
  jb.push(frame(0), out);
  jb.push(frame(2), out);
  jb.push(frame(3), out);
  EXPECT_EQ(seqs(out), (std::vector<uint64_t>{0}));
  jb.push(frame(1), out);
  EXPECT_EQ(seqs(out), (std::vector<uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(jb.counters().reordered, 2u);
  EXPECT_EQ(jb.counters().gaps, 0u);
}

TEST(jitter_buffer, drops_duplicates_released_or_held) {
  jitter_buffer jb{8};
  std::vector<audio_frame> out;
  jb.push(frame(0), out);
  jb.push(frame(2), out);
  EXPECT_EQ(jb.push(frame(0), out), jitter_buffer::verdict::duplicate);
  EXPECT_EQ(jb.push(frame(2), out), jitter_buffer::verdict::duplicate);
  jb.push(frame(1), out);
  EXPECT_EQ(seqs(out), (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(jb.counters().duplicates, 2u);
  EXPECT_EQ(jb.counters().frames, 3u);
}

TEST(jitter_buffer, gives_up_a_hole_beyond_the_window_and_fills_silence) {
  jitter_buffer jb{4};
  std::vector<audio_frame> out;
  jb.push(frame(0), out);
  for (uint64_t s = 2; s <= 5; ++s)
    jb.push(frame(s), out);
  // Frame 1 never came: after 4 frames past it, it is a gap of silence.
  ASSERT_EQ(seqs(out), (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(std::all_of(out[1].pcm.begin(), out[1].pcm.end(),
                          [](int16_t v) { return v == 0; }));
  EXPECT_EQ(out[1].pcm.size(), 320u);
  EXPECT_EQ(jb.counters().gaps, 1u);
  // It arrives now: late, not a duplicate, and not released twice.
  EXPECT_EQ(jb.push(frame(1), out), jitter_buffer::verdict::late);
  EXPECT_EQ(out.size(), 6u);
  EXPECT_EQ(jb.counters().late, 1u);
}

TEST(jitter_buffer, flush_releases_everything_in_order) {
  jitter_buffer jb{16};
  std::vector<audio_frame> out;
  jb.push(frame(3), out);
  jb.push(frame(1), out);
  EXPECT_TRUE(out.empty());
  jb.flush(out);
  EXPECT_EQ(seqs(out), (std::vector<uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(jb.counters().gaps, 2u);
}

TEST(jitter_buffer, refuses_absurd_sequence_jumps) {
  jitter_buffer jb{8, 1000};
  std::vector<audio_frame> out;
  EXPECT_EQ(jb.push(frame(1ull << 62), out),
            jitter_buffer::verdict::too_far_ahead);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(jb.next_seq(), 0u);
}

TEST(jitter_buffer, shuffled_stream_with_repeats_is_released_exactly_once) {
  jitter_buffer jb{32};
  std::vector<audio_frame> out;
  // Each block of 10 arrives reversed, and every frame is sent twice, as a
  // reconnecting client resending unacknowledged frames would.
  for (uint64_t block = 0; block < 10; ++block)
    for (int rep = 0; rep < 2; ++rep)
      for (int i = 9; i >= 0; --i)
        jb.push(frame(block * 10 + i), out);
  jb.flush(out);
  ASSERT_EQ(out.size(), 100u);
  for (uint64_t i = 0; i < 100; ++i)
    EXPECT_EQ(out[i].seq, i);
  EXPECT_EQ(jb.counters().duplicates, 100u);
  EXPECT_EQ(jb.counters().gaps, 0u);
}
