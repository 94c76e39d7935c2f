#include "tools/sof/loadgen_session.hpp"

#include "actors/common/errors.hpp"
#include "tools/sof/client_protocol.hpp"
#include "transport/protocol/wire.hpp"

#include <algorithm>

namespace sof::cli::loadgen {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t frame_samples = 320;  // 20 ms at 16 kHz
constexpr double frame_ms = 20;
constexpr std::size_t max_queued = 4;  // messages waiting for the socket
constexpr auto started_timeout = 30s;
constexpr auto scorecard_timeout = 180s;
constexpr auto close_timeout = 5s;
constexpr auto barrier_timeout = 5s;
constexpr auto keepalive_idle = 10s;  // the server closes after 30 s idle
constexpr int max_reconnect_attempts = 5;
constexpr int max_flush_rounds = 20;

std::chrono::steady_clock::duration ms(double v) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
    std::chrono::duration<double, std::milli>(v));
}

}  // namespace

candidate::candidate(ws_loop& loop, ws_target target, session_config cfg,
                     std::shared_ptr<const std::vector<int16_t>> pcm,
                     std::function<void()> on_finished)
  : loop_(loop),
    cfg_(std::move(cfg)),
    pcm_(std::move(pcm)),
    on_finished_(std::move(on_finished)),
    net_(cfg_.net, cfg_.index),
    schedule_(net_, frame_ms),
    turns_(frame_ms, cfg_.end_of_turn_ms),
    ws_(loop, std::move(target),
        ws_events{
          [this] { on_open(); },
          [this](std::span<const uint8_t> b) { on_message(b); },
          [this] { pump(); },
          [this](const ws_closed& c) { on_closed(c); },
        }) {
  // A multiple of 10 frames: the server acknowledges every 10th, so the
  // last frame's ack tells the flush that everything is in.
  auto frames = static_cast<uint64_t>(cfg_.duration_s * 1000 / frame_ms);
  total_frames_ = std::max<uint64_t>(10, (frames + 9) / 10 * 10);
  attempts_.assign(total_frames_, 0);
  if (cfg_.max_rate > 0)
    min_interval_ = ms(1000.0 / cfg_.max_rate);
}

void candidate::set_phase(phase p) {
  phase_ = p;
  ++phase_gen_;
}

void candidate::start() {
  if (phase_ != phase::idle)
    return;  // aborted before its turn in the ramp
  set_phase(phase::connecting);
  ws_.connect();
  after(started_timeout, &candidate::started_timed_out);
}

void candidate::abort(const std::string& why) {
  finish(why);
}

void candidate::finish(std::string failure) {
  if (phase_ == phase::done)
    return;
  set_phase(phase::done);
  r_.failure = std::move(failure);
  r_.captured = high_water_;
  ws_.drop();
  if (on_finished_)
    on_finished_();
}

void candidate::after(clock::duration d, void (candidate::*fn)()) {
  loop_.at(clock::now() + d, [this, gen = phase_gen_, fn] {
    if (phase_gen_ == gen)
      (this->*fn)();
  });
}

void candidate::started_timed_out() {
  finish("no 'started' from the server within 30 s");
}

void candidate::close_timed_out() {
  finish();  // the scorecard is in; a slow close handshake is no failure
}

void candidate::scorecard_timed_out() {
  finish("no scorecard within 180 s of `end`");
}

void candidate::send(std::string bytes) {
  ws_.send(std::move(bytes));
  last_send_ = clock::now();
}

void candidate::send_start() {
  wire::start s;
  s.voice = true;
  s.followups = true;
  if (r_.session_id.empty())
    s.question = cfg_.question;
  else
    s.resume = r_.session_id;
  send(wire::encode(s));
}

// -- connection events ----------------------------------------------------------

void candidate::on_open() {
  if (phase_ == phase::connecting) {
    set_phase(phase::starting);
    send_start();
  } else if (phase_ == phase::reconnecting) {
    set_phase(phase::resuming);
    send_start();
  }
}

void candidate::on_closed(const ws_closed& c) {
  if (phase_ == phase::done)
    return;
  if (phase_ == phase::closing)
    return finish();
  if (c.what == ws_closed::kind::refused) {
    refused_status_ = c.http_status;
    return finish("server refused the session: HTTP " + std::to_string(c.http_status) + " "
                  + refusal_reason(c.http_body));
  }
  if (phase_ == phase::connecting || phase_ == phase::starting)
    return finish(c.message);
  if (phase_ == phase::ending)
    return finish("connection lost while waiting for the scorecard: " + c.message);
  if (phase_ == phase::reconnecting || phase_ == phase::resuming) {
    if (++reconnect_attempts_ > max_reconnect_attempts)
      return finish("could not resume session " + r_.session_id + ": " + c.message);
    set_phase(phase::reconnecting);
    after(1s, &candidate::reconnect);
    return;
  }
  // Streaming: a drop we did not schedule is an error, recovered by resume.
  r_.errors.push_back("connection lost: " + c.message);
  resume();
}

void candidate::forced_drop() {
  ++next_drop_;
  ws_.drop();
  resume();
}

void candidate::resume() {
  ++r_.reconnects;
  reconnect_attempts_ = 0;
  set_phase(phase::reconnecting);
  reconnect();
}

void candidate::reconnect() {
  ws_.connect();
  after(started_timeout, &candidate::started_timed_out);
}

// -- server messages ------------------------------------------------------------

void candidate::on_message(std::span<const uint8_t> bytes) {
  if (phase_ == phase::done)
    return;
  auto m = wire::decode_server(bytes);
  if (!m)
    return finish("bad message from the server: " + describe(m.error()));
  const auto& t = (*m)["t"].get_ref<const std::string&>();
  if (t == "voice") {
    ++r_.voice_frames;
    if (auto lat = turns_.on_voice(get_u64(*m, "speech_id").value_or(0), clock::now()))
      r_.turn_latency_ms.push_back(*lat);
  } else if (t == "ack") {
    on_ack(*m);
  } else if (t == "turn_end") {
    turns_.on_turn_end(get_u64(*m, "turn").value_or(0), get_num(*m, "at_ms", -1));
    r_.turns_ended = turns_.ended();
  } else if (t == "started") {
    on_started(*m);
  } else if (t == "error") {
    on_error(*m);
  } else if (t == "pong") {
    on_pong(*m);
  } else if (t == "scorecard") {
    on_scorecard(*m);
  }
}

void candidate::on_started(const json& m) {
  if (phase_ != phase::starting && phase_ != phase::resuming)
    return;
  auto next = get_u64(m, "next_seq");
  auto id = get_str(m, "session_id");
  if (!next || id.empty())
    return finish("bad 'started' from the server (no session_id or next_seq)");
  if (phase_ == phase::starting) {
    r_.session_id = id;
    t0_ = live_since_ = clock::now();
    drops_s_ = net_.reconnect_times_s(cfg_.duration_s);
  } else if (id != r_.session_id) {
    return finish("resumed session " + id + " is not " + r_.session_id);
  }
  if (*next > high_water_ || *next < acked_next_)
    return finish("the server's next_seq " + std::to_string(*next) + " is outside [" +
                  std::to_string(acked_next_) + ", " + std::to_string(high_water_) + "]");
  forget_through(*next);
  cursor_ = *next;  // resend from the server's next_seq
  rewind_mark_ = high_water_;
  barrier_id_ = 0;
  set_phase(phase::streaming);
  pump();
}

void candidate::on_ack(const json& m) {
  if (auto seq = get_u64(m, "seq"); seq && *seq < high_water_)
    forget_through(*seq + 1);
}

void candidate::forget_through(uint64_t next) {
  while (!kept_.empty() && kept_.front().first < next)
    kept_.pop_front();
  acked_next_ = std::max(acked_next_, next);
}

void candidate::on_error(const json& m) {
  auto code = get_str(m, "code");
  auto message = get_str(m, "message");
  auto seq = get_u64(m, "seq");
  if (code == "out_of_order") {
    // The frame before it was lost: go back to the last ack, as
    // docs/protocol.md says. Errors for frames in flight before the
    // rewind carry seq below the mark and are not acted on again.
    ++r_.out_of_order;
    if (phase_ == phase::streaming && seq && *seq >= rewind_mark_) {
      rewind();
      pump();
    }
    return;
  }
  r_.errors.push_back(code + ": " + message);
  if (get_bool(m, "fatal"))
    return finish("server error " + code + ": " + message);
  if (phase_ == phase::starting || phase_ == phase::resuming)
    return finish("the server refused to start the session: " + code + ": " + message);
  if (code == "rate" && phase_ == phase::streaming && seq && *seq >= rewind_mark_) {
    rewind();
    pump();
  }
}

void candidate::rewind() {
  rewind_mark_ = high_water_;
  cursor_ = acked_next_;
}

void candidate::on_pong(const json& m) {
  if (barrier_id_ != 0 && get_u64(m, "id") == barrier_id_)
    barrier_answered();
}

/// The server answers in order: when the barrier's pong is here, so is the
/// ack of every frame delivered before it. All acknowledged: `end`.
/// Otherwise a frame at the tail was lost with nothing after it to make
/// the server complain: resend from the last ack, and try again.
void candidate::barrier_answered() {
  barrier_id_ = 0;
  if (phase_ != phase::streaming)
    return;
  if (acked_next_ >= high_water_) {
    send(wire::encode(wire::end{}));
    set_phase(phase::ending);
    after(scorecard_timeout, &candidate::scorecard_timed_out);
    keepalive();
    return;
  }
  if (cursor_ >= high_water_) {
    if (++flush_rounds_ > max_flush_rounds)
      return finish("frames still unacknowledged after " + std::to_string(max_flush_rounds)
                    + " resends");
    rewind();
  }
  pump();
}

/// While the session drains and grades (a minute under load), nothing is
/// sent: a ping every 10 s keeps the server's 30 s idle timeout away.
void candidate::keepalive() {
  if (phase_ != phase::ending)
    return;
  if (clock::now() - last_send_ >= keepalive_idle && ws_.is_open())
    send(wire::encode(wire::ping{++ping_id_}));
  loop_.at(clock::now() + 2s, [this] { keepalive(); });
}

void candidate::on_scorecard(const json& m) {
  r_.done = true;
  r_.live_s = std::chrono::duration<double>(clock::now() - live_since_).count();
  if (auto f = m.find("frames"); f != m.end() && f->is_object())
    r_.server_frames = *f;
  set_phase(phase::closing);
  ws_.close();
  // A clean close normally finishes first (on_closed in closing).
  after(close_timeout, &candidate::close_timed_out);
}

// -- sending --------------------------------------------------------------------

std::string candidate::encode_frame(uint64_t seq) const {
  wire::audio a;
  a.seq = seq;
  a.ts_ms = static_cast<int64_t>(seq) * 20;
  const auto& pcm = *pcm_;
  const std::size_t begin = (seq * frame_samples) % pcm.size();
  a.pcm.assign(pcm.begin() + static_cast<std::ptrdiff_t>(begin),
               pcm.begin() + static_cast<std::ptrdiff_t>(begin + frame_samples));
  return wire::encode(a);
}

void candidate::arm_pump(clock::time_point due) {
  loop_.at(due, [this, gen = ++pump_gen_] {
    if (gen == pump_gen_)
      pump();
  });
}

/// Sends what is due: new frame N at t0 + its scheduled time (real time
/// plus jitter, so the pace never drifts), resends at once, never more
/// than max_rate messages a second; forced drops at their audio time;
/// after the last frame, the barrier before `end`.
void candidate::pump() {
  if (phase_ != phase::streaming || !ws_.is_open())
    return;
  auto now = clock::now();
  while (ws_.queued() < max_queued) {
    if (next_drop_ < drops_s_.size() && now >= t0_ + ms(drops_s_[next_drop_] * 1000))
      return forced_drop();
    auto due = last_send_ + min_interval_;
    if (cursor_ >= total_frames_) {
      if (barrier_id_ != 0)
        return;
      if (due > now)
        return arm_pump(due);
      barrier_id_ = ++ping_id_;
      send(wire::encode(wire::ping{barrier_id_}));
      loop_.at(clock::now() + barrier_timeout, [this, id = barrier_id_] {
        if (barrier_id_ == id)
          barrier_answered();
      });
      return;
    }
    if (cursor_ >= high_water_)
      due = std::max(due, t0_ + ms(schedule_.due_ms(cursor_)));
    if (due > now)
      return arm_pump(due);
    transmit(cursor_++);
    now = clock::now();
  }
}

void candidate::transmit(uint64_t seq) {
  const auto now = clock::now();
  std::string bytes;
  if (seq >= high_water_) {
    bytes = encode_frame(seq);
    kept_.emplace_back(seq, bytes);
    high_water_ = seq + 1;
    r_.captured = high_water_;
    turns_.on_frame_sent(seq, now);
  } else {
    auto it = std::find_if(kept_.begin(), kept_.end(),
                           [seq](const auto& f) { return f.first == seq; });
    if (it == kept_.end())
      return finish("internal: frame " + std::to_string(seq) + " is not kept");
    bytes = it->second;
    ++r_.resent;
  }
  const uint32_t attempt = attempts_[seq];
  if (attempts_[seq] < 255)
    ++attempts_[seq];
  ++r_.transmissions;
  last_send_ = now;
  if (net_.lost(seq, attempt)) {
    ++r_.withheld;  // lost in flight: the server never sees this one
    return;
  }
  ws_.send(std::move(bytes));
}

}  // namespace sof::cli::loadgen
