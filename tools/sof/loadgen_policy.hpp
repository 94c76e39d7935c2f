#pragma once
// The pure policies of `sof loadgen`, apart from any socket so they are
// unit-tested and reproducible: the simulated network (jitter, loss,
// forced reconnects) drawn from a seed, the real-time send schedule,
// percentiles, the turn-latency bookkeeping, and reading the server's
// process gauges out of /metrics.
#include "base/net/host.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace sof::cli::loadgen {

struct network_settings {
  double jitter_ms = 0;           // each frame's send time moves by U(-j, +j)
  double loss_pct = 0;            // a transmission is withheld with this chance
  double reconnects_per_min = 0;  // forced drops per session per minute
  uint64_t seed = 1;
};

/// The simulated network of one session. Every draw is a hash of (seed,
/// session, what, index), not a stream, so a frame's jitter or whether its
/// n-th transmission is lost does not depend on the order in which the
/// event loop happened to ask: the same seed gives the same network.
class network_model {
 public:
  network_model(network_settings s, uint32_t session);

  /// Offset of frame `seq`'s send time, in [-jitter_ms, +jitter_ms].
  double jitter_ms(uint64_t seq) const;
  /// Whether transmission number `attempt` (0: first) of frame `seq` is
  /// lost in flight.
  bool lost(uint64_t seq, uint32_t attempt) const;
  /// Times (seconds from the session's first frame) of forced connection
  /// drops in [0, duration_s): a Poisson process of the configured rate,
  /// sorted.
  std::vector<double> reconnect_times_s(double duration_s) const;

  const network_settings& settings() const { return s_; }

 private:
  /// Uniform in [0, 1) for (what, index, sub).
  double uniform(uint64_t what, uint64_t index, uint64_t sub = 0) const;

  network_settings s_;
  uint32_t session_;
};

/// When frame `seq` is due, in ms after the first frame: seq * frame_ms
/// plus its jitter, but never before an earlier frame (jitter delays and
/// bunches frames; only loss makes the server see them out of order).
class send_schedule {
 public:
  send_schedule(const network_model& net, double frame_ms);
  /// Monotonic in seq; computed once per frame and kept.
  double due_ms(uint64_t seq);

 private:
  const network_model& net_;
  double frame_ms_;
  std::vector<double> due_;
};

/// Linear interpolation between closest ranks (the usual "type 7"); q in
/// [0, 1]. nullopt for no values.
std::optional<double> percentile(std::vector<double> values, double q);

/// Turn latency "beyond the end-of-turn silence": the server's turn_end
/// says where speech ended (audio ms); the client knows when it first
/// sent the frame holding that instant; the follow-up's first voice frame
/// is measured against that send time plus the configured silence.
class turn_latency_tracker {
 public:
  using clock = std::chrono::steady_clock;

  turn_latency_tracker(double frame_ms, double end_of_turn_ms);

  /// The first transmission (or withheld attempt) of frame `seq`.
  void on_frame_sent(uint64_t seq, clock::time_point at);
  /// turn_end{turn, at_ms}; a repeat (replayed after a resume) is ignored.
  void on_turn_end(uint64_t turn, double at_ms);
  /// A voice frame of speech `speech_id` arrived at `at`: the first one of
  /// a turn with a pending end yields that turn's latency in ms.
  std::optional<double> on_voice(uint64_t speech_id, clock::time_point at);

  /// Turns that ended and whose follow-up voice has not arrived (yet).
  std::size_t pending() const { return pending_.size(); }
  /// Distinct turns that ended (replays after a resume counted once).
  std::size_t ended() const { return seen_.size(); }

 private:
  double frame_ms_;
  double end_of_turn_ms_;
  std::vector<clock::time_point> sent_;  // by seq; default: not sent
  std::map<uint64_t, clock::time_point> pending_;  // turn -> silence over
  std::map<uint64_t, bool> seen_;                  // turns already ended
};

/// process_cpu_seconds_total and process_resident_memory_bytes from a
/// Prometheus text exposition (unlabelled samples).
struct process_sample {
  double cpu_seconds = 0;
  double resident_bytes = 0;
};
std::optional<process_sample> parse_process_metrics(std::string_view text);

using net::is_loopback_host;  // base/net/host.hpp

}  // namespace sof::cli::loadgen
