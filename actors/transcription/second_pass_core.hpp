#pragma once
// The second-pass race, free of CAF. The local recogniser (pocketsphinx)
// gives partials, drives turn-taking and produces a final for every
// utterance; each closed utterance also goes to a second recogniser (a
// Whisper-class server). Per utterance this core decides which text the
// transcript segment carries:
//
//   * the second pass's, if its answer arrives within the deadline (counted
//     from the utterance closing), once the local final exists;
//   * the local final's otherwise, once the deadline has passed or the
//     second pass has failed, whichever comes first;
//   * a valid answer after the deadline is dropped and counted "late".
//
// The local final always exists before a segment is emitted: it carries the
// adaptation-state chain that keeps crash replay exact, and the words and
// alternatives. Segments leave in utterance order, which costs nothing:
// utterances close in order and share the deadline length, so an earlier
// one is decided no later than a later one's deadline.
//
// The worker gets one request at a time; the rest queue here, in
// utterance order. So a worker that crashes or hangs is blamed for exactly
// the request it held, a worker restarted after an error has no queued
// request it could still start while its successor begins (one HTTP call
// per session at a time, even against a hung server), and a request whose
// deadline passes while it waits is never sent.
#include "actors/messages/messages.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sof::transcription {

/// Arm this utterance's deadline: the shell calls on_deadline(utt) after
/// the configured deadline.
struct deadline_timer {
  uint32_t utt = 0;
};

/// The worker misbehaved (an error or a garbled answer): the shell restarts
/// it under its restart policy and then calls on_worker_down().
struct worker_fault {
  std::string reason;
};

using second_pass_effect
  = std::variant<msg::second_pass_request, msg::transcript_segment,
                 msg::second_pass_outcome, deadline_timer, worker_fault>;
using second_pass_effects = std::vector<second_pass_effect>;

struct second_pass_counters {
  uint32_t won = 0;
  uint32_t late = 0;
  uint32_t failed = 0;
};

class second_pass_core {
 public:
  /// `recognizer`: the name a winning segment carries ("openai").
  second_pass_core(std::string recognizer, int64_t deadline_ms);

  // Capture's utterances, mirrored: the core keeps each one's audio for as
  // long as a (re)sent request could still win.
  void on_utterance_begin(const msg::utterance_begin& m);
  void on_utterance_audio(const msg::utterance_audio& m);
  /// The utterance closed at `now_ms` (actor clock): the deadline timer,
  /// and a request for the worker when it is free (else queued).
  second_pass_effects on_utterance_end(const msg::utterance_end& m,
                                       int64_t now_ms);

  /// The local recogniser's segment for an utterance (validated already).
  second_pass_effects on_local(msg::transcript_segment seg);
  /// The worker's answer; implausible text is a failure and a worker fault.
  second_pass_effects on_answer(const msg::second_pass_answer& m);
  /// The worker could not answer for one utterance.
  second_pass_effects on_failure(const msg::second_pass_failed& m);
  second_pass_effects on_deadline(uint32_t utt);

  /// The worker is gone (killed after a fault, crashed, hung). `blame`:
  /// the reason, charged to the request it held, if any.
  second_pass_effects on_worker_down(const std::string& blame);
  /// A (new) worker is up: the next queued request.
  second_pass_effects on_worker_up();
  /// The worker escalated (restarted too often, or cannot be created): the
  /// second pass is off for the rest of the session; what was owed failed.
  second_pass_effects on_unavailable(const std::string& reason);

  /// No closed utterance waits for its segment.
  bool idle() const;
  /// The worker holds requests (what its watchdog watches).
  bool busy() const;
  bool available() const { return available_; }
  const second_pass_counters& counters() const { return counters_; }

 private:
  enum class request_state { none, queued, in_flight, done };
  struct utterance {
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    int64_t audio_ms = 0;
    int64_t expires_ms = 0;
    bool closed = false;
    bool deadline_passed = false;
    bool emitted = false;
    request_state request = request_state::none;
    std::vector<int16_t> audio;  // until a request can no longer win
    std::optional<msg::transcript_segment> local;
    std::optional<msg::second_pass_answer> winner;  // session-time words
  };

  /// Sends the oldest queued request if the worker is up and free.
  void dispatch(second_pass_effects& out);
  void fail(uint32_t utt, utterance& u, const std::string& reason,
            second_pass_effects& out);
  /// Emits every decided segment from the front, in utterance order, and
  /// forgets utterances with nothing left to learn.
  void flush(second_pass_effects& out);
  /// Emitted, outcome known and erased (entries leave in utterance order).
  bool forgotten(uint32_t utt) const;

  std::string recognizer_;
  int64_t deadline_ms_;
  bool worker_up_ = false;  // the shell reports its worker: on_worker_up()
  bool available_ = true;
  std::map<uint32_t, utterance> utts_;  // ordered: emission order
  std::optional<uint32_t> last_forgotten_;
  second_pass_counters counters_;
};

}  // namespace sof::transcription
