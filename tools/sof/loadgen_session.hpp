#pragma once
// One simulated candidate of `sof loadgen`: a live session over its own
// WebSocket on the loop shared by all candidates. It streams its audio in
// real time (with the simulated network's jitter), withholds the frames the
// network "loses" and recovers as a real client does (resend from the last
// ack on out_of_order), drops its connection at the scheduled times and
// resumes, then ends and waits for the scorecard with the server's count
// of frames. Everything runs on the loop's one thread: no locks.
#include "tools/sof/loadgen_policy.hpp"
#include "tools/sof/ws_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sof::cli::loadgen {

struct session_config {
  uint32_t index = 0;
  std::string question;
  double duration_s = 60;     // audio streamed before `end`
  double end_of_turn_ms = 2500;
  double max_rate = 90;       // messages a second (the server allows 100)
  network_settings net;
};

/// What a finished (or failed) session reports.
struct session_result {
  bool done = false;              // scorecard received
  std::string failure;            // why not, when not
  std::string session_id;
  uint64_t captured = 0;          // unique frames the candidate produced
  uint64_t transmissions = 0;     // frames put on the wire, resends included
  uint64_t withheld = 0;          // transmissions the network "lost"
  uint64_t resent = 0;            // transmissions of a seq sent before
  uint64_t reconnects = 0;
  uint64_t out_of_order = 0;      // server errors caused by the losses
  std::vector<std::string> errors;  // any other server error, "code: message"
  std::vector<double> turn_latency_ms;
  uint64_t turns_ended = 0;
  uint64_t voice_frames = 0;
  nlohmann::json server_frames;   // the scorecard message's `frames`
  double live_s = 0;              // started -> scorecard
};

class candidate {
 public:
  using clock = std::chrono::steady_clock;

  /// `pcm` is the looped audio (already padded with silence so its last
  /// turn ends); `on_finished` runs once, on the loop thread.
  candidate(ws_loop& loop, ws_target target, session_config cfg,
            std::shared_ptr<const std::vector<int16_t>> pcm,
            std::function<void()> on_finished);
  candidate(const candidate&) = delete;
  candidate& operator=(const candidate&) = delete;

  void start();
  /// Gives up (the run's own deadline); on_finished follows.
  void abort(const std::string& why);

  const session_result& result() const { return r_; }
  bool live() const { return phase_ != phase::idle && phase_ != phase::done; }
  /// HTTP status of a refused upgrade (401: the token), else 0.
  int refused_status() const { return refused_status_; }

 private:
  // streaming covers the flush at the end too: every captured frame
  // acknowledged (a ping as barrier) before `end` goes.
  enum class phase { idle, connecting, starting, reconnecting, resuming, streaming,
                     ending, closing, done };

  void set_phase(phase p);
  void finish(std::string failure = {});
  void send(std::string bytes);
  void send_start();

  void on_open();
  void on_closed(const ws_closed& c);
  void on_message(std::span<const uint8_t> bytes);
  void on_started(const nlohmann::json& m);
  void on_ack(const nlohmann::json& m);
  void on_error(const nlohmann::json& m);
  void on_pong(const nlohmann::json& m);
  void on_scorecard(const nlohmann::json& m);

  void resume();
  void reconnect();
  void forced_drop();
  void rewind();
  void pump();
  void arm_pump(clock::time_point due);
  void transmit(uint64_t seq);
  std::string encode_frame(uint64_t seq) const;
  void barrier_answered();
  void forget_through(uint64_t next);
  void after(clock::duration d, void (candidate::*fn)());
  void started_timed_out();
  void scorecard_timed_out();
  void close_timed_out();
  void keepalive();

  ws_loop& loop_;
  session_config cfg_;
  std::shared_ptr<const std::vector<int16_t>> pcm_;
  std::function<void()> on_finished_;
  network_model net_;
  send_schedule schedule_;
  turn_latency_tracker turns_;
  ws_client ws_;
  session_result r_;

  phase phase_ = phase::idle;
  uint64_t phase_gen_ = 0;
  int refused_status_ = 0;
  uint64_t total_frames_ = 0;
  uint64_t cursor_ = 0;       // next seq to transmit
  uint64_t high_water_ = 0;   // [0, high_water_) transmitted at least once
  uint64_t acked_next_ = 0;   // [0, acked_next_) acknowledged
  uint64_t rewind_mark_ = 0;  // out_of_order for seq below this is stale
  std::deque<std::pair<uint64_t, std::string>> kept_;  // unacknowledged
  std::vector<uint8_t> attempts_;  // transmissions per seq (for the loss draw)
  std::vector<double> drops_s_;    // forced drops, audio seconds
  std::size_t next_drop_ = 0;
  uint64_t barrier_id_ = 0;
  uint64_t ping_id_ = 0;
  int flush_rounds_ = 0;
  int reconnect_attempts_ = 0;
  uint64_t pump_gen_ = 0;
  clock::time_point t0_{};         // the first frame's nominal send time
  clock::time_point live_since_{};
  clock::time_point last_send_{};
  clock::duration min_interval_{0};
};

}  // namespace sof::cli::loadgen
