#pragma once
// The capture agent's logic, free of CAF: frames in (any order, possibly
// repeated), effects out. Orders frames (jitter_buffer), classifies speech
// (vad), cuts utterances for the recogniser, detects the end of the
// candidate's turn, and keeps delivery analytics.
//
// Two silences matter and are deliberately different: a short one
// (utterance_end_ms, ~0.45 s) closes a phrase so the recogniser can finalise
// it; a long one (end_of_turn_ms, ~2.5 s) ends the turn. A candidate who
// pauses 1-2 s to think produces several utterances but keeps the turn.
#include "actors/capture/jitter_buffer.hpp"
#include "actors/capture/vad.hpp"
#include "actors/messages/messages.hpp"
#include "config/settings.hpp"

#include <deque>
#include <optional>
#include <variant>
#include <vector>

namespace sof::capture {

using effect
  = std::variant<msg::utterance_begin, msg::utterance_audio, msg::utterance_end,
                 msg::speech_started, msg::turn_ended, msg::frame_rejected>;
using effects = std::vector<effect>;

class capture_core {
 public:
  static constexpr int samples_per_ms = 16;
  static constexpr std::size_t max_frame_samples = 60 * samples_per_ms;

  explicit capture_core(const config::capture_settings& cfg);

  /// A frame from the client, in any order.
  effects on_frame(msg::audio_frame frame);

  /// The client finished: release held frames, close the utterance and turn.
  effects on_end_of_audio();

  /// Delivery analytics so far; `words` (from the transcript) enables pace.
  msg::delivery_stats delivery(uint32_t words = 0) const;
  msg::capture_counters counters() const;
  uint64_t next_seq() const { return jitter_.next_seq(); }
  bool in_utterance() const { return state_ == state::speaking; }

 private:
  enum class state { idle, speaking };
  struct held_frame {
    int64_t start_ms;
    std::vector<int16_t> pcm;
  };

  void process(const msg::audio_frame& f, effects& out);
  void open_utterance(effects& out);
  void close_utterance(effects& out);
  void maybe_end_turn(int64_t now_ms, bool end_of_audio, effects& out);

  config::capture_settings cfg_;
  jitter_buffer jitter_;
  vad vad_;
  state state_ = state::idle;
  uint64_t samples_ = 0;  // released so far: the session's timeline
  std::deque<held_frame> ring_;  // pre-roll + not-yet-confirmed speech
  int64_t ring_ms_ = 0;
  int64_t voiced_run_ms_ = 0;
  int64_t voiced_run_start_ms_ = 0;
  int64_t silence_run_ms_ = 0;
  uint32_t next_utt_ = 0;
  uint32_t next_turn_ = 0;
  int64_t utt_voiced_start_ms_ = 0;
  std::optional<int64_t> last_voiced_end_ms_;
  bool in_turn_ = false;
  bool ended_ = false;
  uint64_t rejected_ = 0;
  // delivery analytics
  int64_t speaking_ms_ = 0;
  std::optional<int64_t> first_speech_ms_;
  uint32_t utterances_ = 0;
  uint32_t turns_ = 0;
  uint32_t pauses_ = 0;
  int64_t pause_total_ms_ = 0;
  int64_t longest_pause_ms_ = 0;
};

}  // namespace sof::capture
