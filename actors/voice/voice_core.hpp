#pragma once
// The voice agent's logic, free of actors: which provider speaks (single,
// race, hedge), when a hedge backup starts, what a hung or failed provider
// means for the speech in progress, pacing audio out at real time, and what
// barge-in leaves unspoken. The actor shell feeds it events with the time
// and carries out the effects it returns.
//
// Rules kept here:
// - Once the first chunk of a speech has gone out, its voice is fixed: a
//   provider that fails mid-speech is restarted and resumes the same piece,
//   skipping the audio already sent; no other voice takes over.
// - A provider that fails is left out of the next races and hedges for a
//   cool-down (circuit breaker), unless no provider is left.
// - race starts every provider; the first to deliver a chunk wins and the
//   others are cancelled. hedge starts the primary and each backup only if
//   no chunk arrived within the hedge delay (configured, or the primary's
//   learned p95 time to first chunk).
#include "actors/messages/messages.hpp"

#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sof::voice {

using clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

enum class policy_kind { single, race, hedge };
caf::expected<policy_kind> parse_policy(std::string_view text);
const char* to_string(policy_kind p);

struct core_config {
  policy_kind policy = policy_kind::race;
  std::vector<std::string> providers;  // labels; index = provider id
  ms hedge_delay{0};                   // 0: learned from the primary's p95
  ms hedge_default{60};
  ms first_chunk_timeout{3000};        // also the longest silence mid-stream
  int chunk_ms = 20;
  bool realtime = true;
  ms lead{100};
  uint32_t max_attempts = 4;           // per piece and provider
  uint64_t hedge_min_samples = 20;
};

// -- effects ----------------------------------------------------------------

struct start_job {
  std::size_t provider = 0;
  msg::tts_synth synth;
};
struct cancel_job {
  std::size_t provider = 0;
  uint64_t job = 0;
};
struct arm_timer {
  uint64_t token = 0;
  ms delay{0};
};
/// A provider owes audio and has been silent too long: treat as failed.
struct provider_hung {
  std::size_t provider = 0;
  std::string reason;
};
using effect = std::variant<start_job, cancel_job, arm_timer, provider_hung,
                            msg::voice_chunk, msg::voice_done>;
using effects = std::vector<effect>;

class voice_core {
 public:
  explicit voice_core(core_config cfg);

  /// Queues a speech (pieces from split_for_speech); starts it when idle.
  effects speak(uint32_t speech_id, std::vector<std::string> pieces,
                clock::time_point now);
  effects on_chunk(uint64_t job, std::vector<int16_t> pcm, clock::time_point now);
  effects on_done(uint64_t job, clock::time_point now);
  /// The provider's worker failed (crash, error, hang): every job it had is
  /// lost. Retries are started for when it is back (the shell holds them
  /// until the restarted worker exists).
  effects on_failure(std::size_t provider, const std::string& reason,
                     clock::time_point now);
  effects on_timer(uint64_t token, clock::time_point now);
  /// The candidate started talking: silence now, report what was unheard.
  effects barge_in(clock::time_point now);
  /// Ends every speech (session over): outcome "cancelled".
  effects stop(clock::time_point now, const std::string& reason);

  bool idle() const { return !cur_ && queue_.empty(); }
  ms hedge_delay() const;
  /// Marks a worker restart in the stats (the shell restarts workers).
  void count_restart(std::size_t provider);
  msg::voice_stats stats() const;
  const core_config& config() const { return cfg_; }

 private:
  struct job {
    std::size_t provider = 0;
    std::size_t piece = 0;
    clock::time_point started;
    uint64_t chunks = 0;
    uint64_t skip = 0;  // samples of this piece already sent: drop them
  };
  struct speech {
    uint32_t id = 0;
    std::vector<std::string> pieces;
    clock::time_point requested;
    std::optional<std::size_t> winner;
    std::size_t piece = 0;             // the piece being made
    std::vector<uint64_t> made;        // samples made (and queued) per piece
    std::vector<bool> tried;           // providers started for piece 0
    uint32_t failures = 0;             // of the piece being made
    uint32_t attempt = 0;
    std::size_t next_backup = 0;       // hedge: next provider to consider
    bool synthesized = false;
    std::optional<clock::time_point> first_out;
    std::optional<clock::time_point> synth_end;
  };
  enum class timer_kind { tick, hedge, stall };
  struct timer {
    timer_kind kind = timer_kind::tick;
    uint64_t job = 0;      // stall
    uint64_t chunks = 0;   // stall: progress when armed
    uint32_t speech = 0;   // hedge
  };

  void begin(clock::time_point now, effects& fx);
  void start(std::size_t provider, std::size_t piece, uint64_t skip,
             clock::time_point now, effects& fx);
  uint64_t arm(timer t, ms delay, effects& fx);
  void cancel_others(std::size_t keep, effects& fx);
  void retry_or_fail(const std::string& reason, clock::time_point now,
                     effects& fx);
  void pump(clock::time_point now, effects& fx);
  void finish(const std::string& outcome, const std::string& reason,
              clock::time_point now, effects& fx);
  bool any_job_of_speech() const;
  bool healthy(std::size_t provider, clock::time_point now) const;

  core_config cfg_;
  std::optional<speech> cur_;
  std::deque<speech> queue_;
  std::map<uint64_t, job> jobs_;
  std::map<uint64_t, timer> timers_;
  uint64_t next_job_ = 1;
  uint64_t next_token_ = 1;
  uint64_t speeches_ = 0;  // started, for fault_call numbering
  // Playout.
  std::deque<std::vector<int16_t>> out_;
  std::optional<clock::time_point> play_start_;
  uint64_t sent_samples_ = 0;
  std::vector<uint64_t> sent_per_piece_;
  std::deque<std::size_t> out_piece_;
  uint32_t seq_ = 0;
  bool tick_armed_ = false;
  // Circuit breaker: a provider that just failed sits out of races and
  // hedges for a while (1 s, doubling per consecutive failure, up to 60 s),
  // so one that crashes every time stops winning races it cannot finish.
  std::vector<clock::time_point> open_until_;
  std::vector<uint32_t> consecutive_failures_;
  // Measurements.
  std::vector<msg::tts_provider_stats> stats_;
  msg::latency_histogram ttfa_;
  uint64_t spoken_ = 0, barged_ = 0, failed_ = 0;
};

}  // namespace sof::voice
