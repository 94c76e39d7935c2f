// sof client: one live interview session against `sof serve` over the
// WebSocket protocol of docs/protocol.md. Streams a recording as 20 ms
// frames, keeps every frame until the server acknowledges it, survives a
// dropped connection by resuming the session and resending from the
// server's next_seq, and prints the events (or one JSON document).
//
// All protocol logic lives here and runs on the one event-loop thread of
// ws_client (the only Boost.Beast translation unit), so nothing is locked.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/client_protocol.hpp"
#include "tools/sof/commands.hpp"
#include "tools/sof/ws_client.hpp"
#include "transport/protocol/wire.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sof::cli {
namespace {

using json = nlohmann::json;
using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::size_t frame_samples = 320;  // 20 ms at 16 kHz
constexpr auto frame_period = 20ms;
constexpr std::size_t trailing_silence = 3 * audio::canonical_rate;
constexpr std::size_t max_queued = 4;  // messages waiting for the socket
constexpr auto started_timeout = 30s;
constexpr auto close_timeout = 5s;
constexpr auto keepalive_idle = 10s;  // the server closes after 30 s idle
constexpr int max_reconnect_attempts = 5;
constexpr auto barrier_timeout = 5s;
constexpr int max_flush_rounds = 5;

struct client_options {
  std::string url;
  std::string token;
  std::string question;
  std::string audio;
  bool realtime = false;
  bool json = false;
  bool no_voice = false;
  double drop_at_s = -1;
  double max_rate = 90;
  double scorecard_timeout_s = 0;  // 0: $SOF_SCORECARD_TIMEOUT, else 120
};

/// A server message without the envelope keys and binary payloads (for
/// the JSON output, which cannot hold msgpack bin).
json without_envelope(json m) {
  m.erase("v");
  m.erase("t");
  for (auto it = m.begin(); it != m.end();)
    it = it->is_binary() ? m.erase(it) : std::next(it);
  return m;
}

// -- the session --------------------------------------------------------------

class live_session {
public:
  live_session(const client_options& o, ws_target target, std::vector<int16_t> pcm)
    : o_(o),
      pcm_(std::move(pcm)),
      ws_(std::move(target), ws_events{
                               [this] { on_open(); },
                               [this](std::span<const uint8_t> b) { on_message(b); },
                               [this] { pump(); },
                               [this](const ws_closed& c) { on_closed(c); },
                             }) {
    total_frames_ = (pcm_.size() + frame_samples - 1) / frame_samples;
    if (o_.max_rate > 0)
      min_interval_ = std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>(1.0 / o_.max_rate));
  }

  live_session(const live_session&) = delete;
  live_session& operator=(const live_session&) = delete;

  int run() {
    set_phase(phase::connecting);
    ws_.connect();
    arm_started_timeout();
    keepalive();
    ws_.run();
    if (!failure_.empty())
      return fail(failure_);
    print_result();
    return 0;
  }

private:
  enum class phase {
    connecting,    // first connection
    starting,      // start{question} sent, waiting for started
    reconnecting,  // connection for a resume
    resuming,      // start{resume} sent, waiting for started
    streaming,     // sending frames
    ending,        // end sent, waiting for the scorecard
    closing,       // scorecard received, closing cleanly
    done,
  };

  // -- output -----------------------------------------------------------------

  void line(const char* fmt, auto... args) {
    if (o_.json)
      return;
    std::printf(fmt, args...);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }

  std::string transcript() const {
    std::string text;
    for (const auto& [utt, seg] : segments_) {
      auto t = get_str(seg, "text");
      if (t.empty())
        continue;
      if (!text.empty())
        text += ' ';
      text += t;
    }
    return text;
  }

  void print_result() {
    if (!o_.json) {
      const auto verdict = get_str(scorecard_, "verdict");
      std::printf("verdict: %s (overall %.1f)\n", verdict.empty() ? "?" : verdict.c_str(),
                  get_num(scorecard_, "overall"));
      std::fprintf(stderr,
                   "sof: session %s: %llu frames sent, %llu resent, %llu acknowledged, "
                   "%llu voice chunks, %zu reconnects\n",
                   session_id_.c_str(), ull(high_water_), ull(frames_resent_),
                   ull(acked_next_), ull(voice_chunks_), reconnects_);
      return;
    }
    json segs = json::array();
    for (const auto& [utt, seg] : segments_)
      segs.push_back(seg);
    json doc = {
      {"session_id", session_id_},
      {"transcript", transcript()},
      {"segments", segs},
      {"followups", followups_},
      {"scorecard", scorecard_},
      {"frames_sent", high_water_},
      {"frames_resent", frames_resent_},
      {"acked", acked_next_},
      {"voice_chunks", voice_chunks_},
      {"voice_done", voice_done_},
      {"coverage", coverage_},
      {"coverage_updates", coverage_updates_},
      {"reconnects", reconnects_},
      {"rewinds", rewinds_},
      {"errors", errors_},
      {"server_frames", server_frames_},
    };
    std::printf("%s\n", doc.dump(2).c_str());
  }

  static unsigned long long ull(uint64_t x) {
    return static_cast<unsigned long long>(x);
  }

  // -- state ------------------------------------------------------------------

  void set_phase(phase p) {
    phase_ = p;
    ++phase_gen_;
  }

  void finish(std::string failure = {}) {
    if (phase_ == phase::done)
      return;
    set_phase(phase::done);
    failure_ = std::move(failure);
    ws_.drop();
    ws_.stop();
  }

  void send(const wire::client_message& m) {
    ws_.send(wire::encode(m));
    last_send_ = clock::now();
  }

  void send_start() {
    wire::start s;
    s.voice = !o_.no_voice;
    if (session_id_.empty())
      s.question = o_.question;
    else
      s.resume = session_id_;
    send(s);
  }

  // -- timers -----------------------------------------------------------------

  void after(clock::duration d, phase expected, void (live_session::*fn)()) {
    ws_.at(clock::now() + d, [this, gen = phase_gen_, expected, fn] {
      if (phase_ == expected && phase_gen_ == gen)
        (this->*fn)();
    });
  }

  void arm_started_timeout() {
    auto gen = phase_gen_;
    ws_.at(clock::now() + started_timeout, [this, gen] {
      // Still in the connect / start exchange that armed it.
      if (phase_gen_ - gen <= 1
          && (phase_ == phase::connecting || phase_ == phase::starting
              || phase_ == phase::reconnecting || phase_ == phase::resuming))
        finish("no 'started' from the server within 30 s");
    });
  }

  void keepalive() {
    if (phase_ == phase::done)
      return;
    if ((phase_ == phase::streaming || phase_ == phase::ending) && ws_.is_open()
        && clock::now() - last_send_ >= keepalive_idle)
      send(wire::ping{++ping_id_});
    ws_.at(clock::now() + 2s, [this] { keepalive(); });
  }

  // -- connection events ------------------------------------------------------

  void on_open() {
    if (phase_ == phase::connecting) {
      set_phase(phase::starting);
      send_start();
    } else if (phase_ == phase::reconnecting) {
      set_phase(phase::resuming);
      send_start();
    }
  }

  void on_closed(const ws_closed& c) {
    switch (phase_) {
      case phase::done:
        return;
      case phase::closing:
        finish();
        return;
      default:
        break;
    }
    if (c.what == ws_closed::kind::refused)
      return finish("server refused the session: HTTP " + std::to_string(c.http_status)
                    + " " + refusal_reason(c.http_body));
    if (phase_ == phase::connecting || phase_ == phase::starting)
      return finish(c.what == ws_closed::kind::connect_failed
                      ? c.message
                      : "the server ended the connection before the session started: "
                          + c.message);
    if (phase_ == phase::reconnecting || phase_ == phase::resuming) {
      if (++reconnect_attempts_ > max_reconnect_attempts)
        return finish("could not resume session " + session_id_ + ": " + c.message);
      line("reconnect: %s; retrying in 1 s", c.message.c_str());
      set_phase(phase::reconnecting);
      after(1s, phase::reconnecting, &live_session::reconnect);
      return;
    }
    // streaming or ending: the network went away under us; the session is
    // still live on the server for its resume window.
    line("%s: resuming session %s", c.message.c_str(), session_id_.c_str());
    resume();
  }

  void resume() {
    ++reconnects_;
    reconnect_attempts_ = 0;
    set_phase(phase::reconnecting);
    reconnect();
  }

  void reconnect() {
    ws_.connect();
    arm_started_timeout();
  }

  void on_message(std::span<const uint8_t> bytes) {
    if (phase_ == phase::done)
      return;
    auto m = wire::decode_server(bytes);
    if (!m)
      return finish("bad message from the server: " + describe(m.error()));
    const auto& t = (*m)["t"].get_ref<const std::string&>();
    if (t == "started")
      on_started(*m);
    else if (t == "ack")
      on_ack(*m);
    else if (t == "segment")
      on_segment(*m);
    else if (t == "followup")
      on_followup(*m);
    else if (t == "voice")
      ++voice_chunks_;
    else if (t == "coverage")
      on_coverage(*m);
    else if (t == "voice_done")
      on_voice_done(*m);
    else if (t == "barge_in")
      line("barge-in: speech %llu", ull(get_u64(*m, "speech_id").value_or(0)));
    else if (t == "turn_end")
      line("turn %llu ended at %.2f s", ull(get_u64(*m, "turn").value_or(0)),
           get_num(*m, "at_ms") / 1000.0);
    else if (t == "scorecard")
      on_scorecard(*m);
    else if (t == "error")
      on_error(*m);
    else if (t == "pong")
      on_pong(*m);
    // partial and types newer than this client are not shown.
  }

  void on_started(const json& m) {
    if (phase_ != phase::starting && phase_ != phase::resuming)
      return;  // a duplicate; nothing to do
    auto next = get_u64(m, "next_seq");
    auto id = get_str(m, "session_id");
    if (!next || id.empty())
      return finish("bad 'started' from the server (no session_id or next_seq)");
    if (phase_ == phase::starting) {
      session_id_ = id;
      t0_ = clock::now();
      const auto& q = m.contains("question") ? m["question"] : json::object();
      line("started: session %s, question %s (%s)", session_id_.c_str(),
           get_str(q, "id").c_str(), get_str(q, "title").c_str());
    } else {
      if (id != session_id_)
        return finish("resumed session " + id + " is not " + session_id_);
      line("resumed: session %s from seq %llu (%llu frames to resend)",
           session_id_.c_str(), ull(*next),
           ull(high_water_ > *next ? high_water_ - *next : 0));
    }
    // Frames before next_seq are in the session: forget them; resend the
    // rest from next_seq on.
    if (*next > high_water_)
      return finish("the server expects seq " + std::to_string(*next) + " but only "
                    + std::to_string(high_water_) + " frames were sent");
    if (*next < acked_next_)
      return finish("the server asks to resend from seq " + std::to_string(*next)
                    + " but frames up to " + std::to_string(acked_next_ - 1)
                    + " were acknowledged (and forgotten)");
    forget_through(*next);
    cursor_ = *next;
    rewind_mark_ = 0;
    end_sent_ = false;
    end_ready_ = false;
    barrier_id_ = 0;
    set_phase(phase::streaming);
    pump();
  }

  void on_ack(const json& m) {
    if (auto seq = get_u64(m, "seq"); seq && *seq < high_water_)
      forget_through(*seq + 1);
  }

  /// Frames [0, next) are in the session.
  void forget_through(uint64_t next) {
    while (!kept_.empty() && kept_.front().first < next)
      kept_.pop_front();
    acked_next_ = std::max(acked_next_, next);
  }

  void on_segment(const json& m) {
    auto utt = get_u64(m, "utt").value_or(segments_.size());
    json seg = {{"utt", utt},
                {"start_ms", get_num(m, "start_ms")},
                {"end_ms", get_num(m, "end_ms")},
                {"text", get_str(m, "text")}};
    const bool replayed = segments_.count(utt) != 0;
    segments_[utt] = seg;  // a re-sent segment replaces, never duplicates
    if (replayed)
      return;
    line("segment [%.2f-%.2f] %s", get_num(m, "start_ms") / 1000.0,
         get_num(m, "end_ms") / 1000.0, get_str(m, "text").c_str());
  }

  void on_followup(const json& m) {
    // One follow-up per turn: a replayed one (after a resume) replaces.
    auto f = without_envelope(m);
    auto turn = get_u64(m, "turn");
    auto same = std::find_if(followups_.begin(), followups_.end(), [&](const json& x) {
      return turn && get_u64(x, "turn") == turn;
    });
    if (same != followups_.end()) {
      *same = std::move(f);
      return;
    }
    followups_.push_back(std::move(f));
    if (auto text = get_str(m, "text"); !text.empty())
      line("followup: %s", text.c_str());
  }

  // Live rubric coverage: the latest replaces the earlier ones.
  void on_coverage(const json& m) {
    ++coverage_updates_;
    coverage_ = m.contains("dimensions") ? m["dimensions"] : json::array();
  }

  void on_voice_done(const json& m) {
    auto id = get_u64(m, "speech_id").value_or(0);
    auto outcome = get_str(m, "outcome");
    for (const auto& v : voice_done_)
      if (get_u64(v, "speech_id") == id)
        return;  // replayed after a resume
    voice_done_.push_back({{"speech_id", id}, {"outcome", outcome}});
    line("voice: speech %llu done (%s)", ull(id), outcome.c_str());
  }

  void on_scorecard(const json& m) {
    auto card = m.contains("scorecard") ? m["scorecard"] : json{};
    if (card.is_string())  // tolerate a server that sends the JSON text
      card = json::parse(card.get<std::string>(), nullptr, false);
    if (!card.is_object())
      return finish("bad 'scorecard' from the server (not a map)");
    scorecard_ = std::move(card);
    if (m.contains("frames") && m["frames"].is_object())
      server_frames_ = m["frames"];
    set_phase(phase::closing);
    ws_.close();
    after(close_timeout, phase::closing, &live_session::finish_ok);
  }

  void finish_ok() {
    finish();
  }

  void on_error(const json& m) {
    auto code = get_str(m, "code");
    auto message = get_str(m, "message");
    bool fatal = get_bool(m, "fatal");
    auto seq = get_u64(m, "seq");
    json e = {{"code", code}, {"message", message}, {"fatal", fatal}};
    if (seq)
      e["seq"] = *seq;
    errors_.push_back(e);
    line("error: %s %s", code.c_str(), message.c_str());
    if (fatal)
      return finish("server error " + code + ": " + message);
    if (phase_ == phase::starting || phase_ == phase::resuming) {
      // The start itself was answered with an error (limit, unknown
      // question, not_found...): no session to stream into. Only a
      // rate-limited start is worth sending again.
      if (code != "rate")
        return finish("the server refused to start the session: " + code + ": "
                      + message);
      ws_.at(clock::now() + 1s, [this, gen = phase_gen_] {
        if (phase_gen_ == gen)
          send_start();
      });
      return;
    }
    if (phase_ != phase::streaming && phase_ != phase::ending)
      return;
    const bool rate = code == "rate";
    if ((code == "out_of_order" || rate) && seq) {
      // A frame was dropped: go back to the first unacknowledged frame
      // (resent duplicates are dropped silently by the server). Errors
      // for frames that were already in flight when we went back carry
      // seq below the mark and are not acted on again; the barrier before
      // `end` (pump) catches a loss among them.
      loss_since_barrier_ = true;
      if (rate)
        pause_until_ = clock::now() + 1s;
      if (*seq < rewind_mark_ || phase_ != phase::streaming)
        return;
      rewind();
      pump();
    } else if (rate && phase_ == phase::ending) {
      // The end message itself was dropped: send it again in a second.
      end_sent_ = false;
      pause_until_ = clock::now() + 1s;
      set_phase(phase::streaming);
      pump();
    } else if (rate && barrier_id_ != 0) {
      // Possibly the barrier ping that was dropped: do not wait for it.
      barrier_done(true);
    }
  }

  void rewind() {
    rewind_mark_ = high_water_;
    cursor_ = acked_next_;
    ++rewinds_;
  }

  void on_pong(const json& m) {
    if (barrier_id_ != 0 && get_u64(m, "id") == barrier_id_)
      barrier_done(false);
  }

  /// The server answers in order, so when the barrier's pong arrives every
  /// error about the frames before it has arrived too: without a loss,
  /// every frame is in the session and `end` can go; otherwise the
  /// unacknowledged tail is sent again and another barrier follows.
  void barrier_done(bool lost) {
    barrier_id_ = 0;
    if (phase_ != phase::streaming)
      return;
    if (lost || loss_since_barrier_) {
      if (++flush_rounds_ > max_flush_rounds)
        return finish("the server keeps refusing frames (rate / out_of_order); gave "
                      "up after " + std::to_string(max_flush_rounds) + " resends");
      loss_since_barrier_ = false;
      rewind();
    } else {
      end_ready_ = true;
    }
    pump();
  }

  // -- sending frames ---------------------------------------------------------

  std::string encode_frame(uint64_t seq) const {
    wire::audio a;
    a.seq = seq;
    a.ts_ms = static_cast<int64_t>(seq) * 20;
    const std::size_t begin = seq * frame_samples;
    const std::size_t end = std::min(begin + frame_samples, pcm_.size());
    a.pcm.assign(pcm_.begin() + static_cast<std::ptrdiff_t>(begin),
                 pcm_.begin() + static_cast<std::ptrdiff_t>(end));
    if (a.pcm.size() < wire::min_frame_samples)
      a.pcm.resize(wire::min_frame_samples, 0);
    return wire::encode(a);
  }

  void arm_pump(clock::time_point due) {
    ws_.at(due, [this, gen = ++pump_gen_] {
      if (gen == pump_gen_)
        pump();
    });
  }

  /// Sends what is due: in realtime frame N at t0 + N * 20 ms (so the pace
  /// never drifts; resent frames are late and go at once), otherwise as
  /// fast as the socket takes them; never more than --max-rate messages a
  /// second (the server drops messages over 100 a second).
  void pump() {
    if (phase_ != phase::streaming || !ws_.is_open())
      return;
    auto now = clock::now();
    while (ws_.queued() < max_queued) {
      auto due = now;
      if (cursor_ < total_frames_ && o_.realtime)
        due = t0_ + static_cast<clock::rep>(cursor_)
                      * std::chrono::duration_cast<clock::duration>(frame_period);
      due = std::max(due, pause_until_);
      if (min_interval_.count() > 0)
        due = std::max(due, last_send_ + min_interval_);
      if (cursor_ >= total_frames_) {
        if (end_sent_ || (!end_ready_ && barrier_id_ != 0))
          return;
        if (due > now)
          return arm_pump(due);
        if (!end_ready_) {
          // Every frame is sent: a ping as a barrier before `end`.
          barrier_id_ = ++ping_id_;
          loss_since_barrier_ = false;
          send(wire::ping{barrier_id_});
          ws_.at(clock::now() + barrier_timeout, [this, id = barrier_id_] {
            if (barrier_id_ == id)
              barrier_done(true);
          });
          return;
        }
        end_sent_ = true;
        send(wire::end{});
        set_phase(phase::ending);
        after(std::chrono::duration_cast<clock::duration>(
                std::chrono::duration<double>(o_.scorecard_timeout_s)),
              phase::ending, &live_session::scorecard_timed_out);
        return;
      }
      if (due > now)
        return arm_pump(due);
      send_frame(cursor_++);
      if (o_.drop_at_s >= 0 && !dropped_
          && static_cast<double>(high_water_) * 0.020 >= o_.drop_at_s) {
        dropped_ = true;
        line("dropping the connection after %.2f s of audio (test)",
             static_cast<double>(high_water_) * 0.020);
        ws_.drop();
        resume();
        return;
      }
      now = clock::now();
    }
  }

  void send_frame(uint64_t seq) {
    if (seq < high_water_) {
      // A resend: from the frames kept since the last acknowledgement.
      auto it = std::find_if(kept_.begin(), kept_.end(),
                             [seq](const auto& f) { return f.first == seq; });
      if (it == kept_.end())
        return finish("internal: frame " + std::to_string(seq) + " is not kept");
      ws_.send(it->second);
      ++frames_resent_;
    } else {
      auto bytes = encode_frame(seq);
      kept_.emplace_back(seq, bytes);
      ws_.send(std::move(bytes));
      high_water_ = seq + 1;
    }
    last_send_ = clock::now();
  }

  void scorecard_timed_out() {
    finish(fmt::format("no scorecard within {:g} s of the end of the answer",
                       o_.scorecard_timeout_s));
  }

  const client_options& o_;
  std::vector<int16_t> pcm_;
  ws_client ws_;

  phase phase_ = phase::connecting;
  uint64_t phase_gen_ = 0;
  std::string failure_;

  std::string session_id_;
  uint64_t total_frames_ = 0;
  uint64_t cursor_ = 0;       // the next seq to send
  uint64_t high_water_ = 0;   // frames ever sent: [0, high_water_)
  uint64_t acked_next_ = 0;   // frames [0, acked_next_) are in the session
  uint64_t rewind_mark_ = 0;  // errors for seq below this are stale
  std::deque<std::pair<uint64_t, std::string>> kept_;  // unacknowledged frames
  bool end_sent_ = false;
  bool end_ready_ = false;            // the barrier before end saw no loss
  uint64_t barrier_id_ = 0;           // the ping id of the barrier in flight
  bool loss_since_barrier_ = false;   // a rate / out_of_order error arrived
  int flush_rounds_ = 0;
  bool dropped_ = false;

  clock::time_point t0_{};
  clock::time_point last_send_{};
  clock::time_point pause_until_{};
  clock::duration min_interval_{0};
  uint64_t pump_gen_ = 0;
  uint64_t ping_id_ = 0;
  int reconnect_attempts_ = 0;

  std::map<uint64_t, json> segments_;
  json followups_ = json::array();
  json voice_done_ = json::array();
  json errors_ = json::array();
  json scorecard_ = json::object();
  json server_frames_ = json::object();  // the server's count (docs/protocol.md)
  json coverage_ = json::array();
  uint64_t coverage_updates_ = 0;
  uint64_t frames_resent_ = 0;
  uint64_t voice_chunks_ = 0;
  uint64_t rewinds_ = 0;
  std::size_t reconnects_ = 0;
};

int run_client(const client_options& o) {
  std::string url_error;
  auto target = parse_url(o.url, url_error);
  if (!target)
    return fail(url_error);
  target->token = o.token;
  if (target->token.empty())
    if (const char* env = std::getenv("SOF_TOKEN"))
      target->token = env;
  // Grading can take longer on a busy or instrumented server (the
  // sanitizer test runs set $SOF_SCORECARD_TIMEOUT).
  client_options opts = o;
  if (opts.scorecard_timeout_s <= 0) {
    opts.scorecard_timeout_s = 120;
    if (const char* env = std::getenv("SOF_SCORECARD_TIMEOUT")) {
      char* end = nullptr;
      double v = std::strtod(env, &end);
      if (end == env || *end != '\0' || !(v > 0))
        return fail(std::string{"SOF_SCORECARD_TIMEOUT must be a positive number of "
                                "seconds, not '"} + env + "'");
      opts.scorecard_timeout_s = v;
    }
  }
  auto audio = audio::read_file(o.audio);
  if (!audio)
    return fail(audio.error());
  if (audio->samples.empty())
    return fail("'" + o.audio + "' holds no audio");
  auto pcm = std::move(audio->samples);
  pcm.resize(pcm.size() + trailing_silence, 0);  // so the last turn ends
  live_session session{opts, std::move(*target), std::move(pcm)};
  return session.run();
}

}  // namespace

void add_client_command(CLI::App& app) {
  auto o = std::make_shared<client_options>();
  auto* cmd = app.add_subcommand(
    "client", "run one live interview session against `sof serve` (WebSocket)");
  cmd->add_option("--url", o->url, "server, e.g. http://127.0.0.1:8080 (no TLS)")
    ->required();
  cmd->add_option("--token", o->token,
                  "bearer credential (default: $SOF_TOKEN; see `sof token`)");
  cmd->add_option("--question", o->question, "question id (see `sof questions`)")
    ->required();
  cmd->add_option("--audio", o->audio,
                  "the answer: WAV or anything libsndfile reads (any rate/channels)")
    ->required();
  cmd->add_flag("--realtime", o->realtime, "send the audio at real-time pace");
  cmd->add_flag("--json", o->json, "print one JSON document at the end");
  cmd->add_flag("--no-voice", o->no_voice, "follow-ups as text only (no voice audio)");
  cmd->add_option("--drop-connection-at", o->drop_at_s,
                  "test: drop the TCP connection after SECONDS of audio, then "
                  "resume the session")
    ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-rate", o->max_rate,
                  "at most this many messages a second (the server drops "
                  "messages over 100/s; 0: no limit)")
    ->capture_default_str()
    ->check(CLI::NonNegativeNumber);
  cmd->add_option("--scorecard-timeout", o->scorecard_timeout_s,
                  "give up when no scorecard arrives within SECONDS of the end "
                  "(default: $SOF_SCORECARD_TIMEOUT, else 120)")
    ->check(CLI::PositiveNumber);
  cmd->callback([o] {
    if (int rc = run_client(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
