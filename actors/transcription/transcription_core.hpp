#pragma once
// The transcription agent's logic, free of CAF. It turns capture's
// utterances into commands for a speech-to-text worker and the worker's
// answers into transcript segments, and it keeps every sample of audio that
// no final segment has confirmed yet. After a worker crash, replay() yields
// the commands that bring a fresh worker back to the same point, so no word
// the candidate said is lost.
#include "actors/messages/messages.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <map>
#include <optional>
#include <variant>
#include <vector>

namespace sof::transcription {

using effect = std::variant<msg::stt_begin, msg::stt_audio, msg::stt_end,
                            msg::transcript_partial, msg::transcript_segment>;
using effects = std::vector<effect>;

/// Rejects provider output that cannot be a transcript of `audio_ms` of
/// speech: invalid UTF-8, control characters, absurd length.
caf::error validate_transcript(const std::string& text, int64_t audio_ms);

/// Word timings and confidences as the session sees them: shifted to
/// session time, clamped into the utterance, ordered, confidences in
/// [0, 1]. Words with invalid text are an error (like the text itself).
caf::expected<std::vector<msg::transcript_word>>
session_words(const std::vector<msg::transcript_word>& words, int64_t start_ms,
              int64_t end_ms);

class transcription_core {
 public:
  effects on_utterance_begin(const msg::utterance_begin& m);
  effects on_utterance_audio(msg::utterance_audio m);
  effects on_utterance_end(const msg::utterance_end& m);

  effects on_partial(const msg::stt_partial& m);

  /// A final from the worker. Unknown or already-final utterances are
  /// ignored (empty effects); implausible text is an error value and the
  /// utterance stays pending for replay.
  caf::expected<effects> on_final(const msg::stt_final& m);

  /// Commands that replay all unconfirmed audio into a fresh worker.
  effects replay();

  /// True when every utterance that began has its final segment.
  bool idle() const { return pending_.empty(); }
  /// Utterances whose audio was (or will be) sent and whose final is owed.
  std::size_t owed() const { return pending_.size(); }
  /// Audio held for possible replay, in samples.
  std::size_t held_samples() const;
  const std::vector<msg::transcript_segment>& segments() const {
    return segments_;
  }

 private:
  struct pending {
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    bool ended = false;
    uint32_t attempt = 0;
    std::vector<int16_t> audio;
  };
  std::map<uint32_t, pending> pending_;  // ordered: replay in speech order
  std::vector<msg::transcript_segment> segments_;
  // The adaptation state the last confirmed utterance handed on: where a
  // fresh worker must start the first unconfirmed one.
  std::vector<float> confirmed_state_;
};

}  // namespace sof::transcription
