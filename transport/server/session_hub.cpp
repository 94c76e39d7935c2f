#include "transport/server/session_hub.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/messages/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "actors/session/summary_json.hpp"
#include "store/store.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace sof::server {
namespace {

constexpr std::size_t max_backlog = 2000;  // messages kept while detached
constexpr uint64_t ack_every = 10;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

struct bridge_state {
  std::shared_ptr<live_session> live;
  session_hub* hub = nullptr;
  std::shared_ptr<spdlog::logger> log;
  std::string tag;
  std::optional<std::chrono::steady_clock::time_point> turn_end_at;
  bool finishing = false;
  static inline const char* name = "session_bridge";
};
using bridge_t = caf::stateful_actor<bridge_state>;

void send(bridge_t* self, nlohmann::json j) {
  // Superseded by what follows: later audio, the final, a later ack or
  // coverage. A detached session's backlog drops these first.
  const auto& t = j["t"];
  const bool droppable = t == "voice" || t == "partial" || t == "ack" || t == "coverage";
  self->state.live->push(wire::encode_server(std::move(j)), droppable);
}

// {"t": "coverage", "dimensions": [{name, covered, total, points}]} in the
// question's dimension order (the session keeps it).
nlohmann::json coverage_message(const msg::coverage_update& u) {
  auto dims = nlohmann::json::array();
  for (const auto& d : u.dimensions)
    dims.push_back({{"name", d.dimension}, {"covered", d.covered_weight},
                    {"total", d.total_weight}, {"points", d.points}});
  return {{"t", "coverage"}, {"dimensions", std::move(dims)}};
}

// The transport's count of frames and the capture core's (which sees
// only delivered frames, so its duplicates and gaps must stay 0).
nlohmann::json frames_json(const frame_counts& f, const msg::capture_counters& c) {
  return {{"received", f.received},
          {"delivered", f.delivered},
          {"duplicates_dropped", f.duplicates_dropped},
          {"refused", f.refused},
          {"capture", {{"frames", c.frames}, {"duplicates", c.duplicates},
                       {"gaps", c.gaps}, {"late", c.late}, {"reordered", c.reordered},
                       {"rejected", c.rejected}}}};
}

// The end of a session: grade, store, tell the client, let go.
void finish(bridge_t* self, const std::string& status) {
  auto& st = self->state;
  if (st.finishing)
    return;
  st.finishing = true;
  auto live = st.live;
  auto& ctx = st.hub->context();
  self->request(live->session_actor(), caf::infinite, msg::finish_atom::value)
    .then(
      [=](msg::session_summary& s) {
        auto& st = self->state;
        auto card = s.graded ? session::scorecard_json(s) : nlohmann::json{};
        auto delivery = session::delivery_json(s);
        auto err = ctx.db->finish_session(live->owner().tenant, live->id(), status,
                                          wall_ms(), s.graded ? s.card.verdict : "",
                                          s.graded ? s.card.overall : 0.0,
                                          s.graded ? card.dump() : "",
                                          delivery.dump(), s.error);
        if (err)
          st.log->error("{} storing the result failed: {}", st.tag, describe(err));
        for (const auto& d : s.card.unavailable)
          ctx.stats->add("sof_graders_unavailable_total", {{"dimension", d}});
        send(self, {{"t", "scorecard"}, {"status", status}, {"scorecard", card},
                    {"frames", frames_json(live->frames(), s.counters)}});
        st.log->info("{} session {} ({}, {})", st.tag, status,
                     s.graded ? s.card.verdict : "not graded", s.error);
        self->send_exit(live->session_actor(), caf::exit_reason::user_shutdown);
        st.hub->forget(live->id(), live->owner().tenant);
        self->quit();
      },
      [=](caf::error& e) {
        auto& st = self->state;
        st.log->error("{} finishing failed: {}", st.tag, describe(e));
        ctx.db->finish_session(live->owner().tenant, live->id(), "failed", wall_ms(), "",
                               0, "", "", describe(e));
        send(self, wire::error_message("internal", "the session could not be finished: "
                                                     + describe(e),
                                       true));
        self->send_exit(live->session_actor(), caf::exit_reason::user_shutdown);
        st.hub->forget(live->id(), live->owner().tenant);
        self->quit();
      });
}

caf::behavior bridge(bridge_t* self, std::shared_ptr<live_session> live,
                     session_hub* hub) {
  auto& st = self->state;
  st.live = std::move(live);
  st.hub = hub;
  st.log = log::get("server");
  st.tag = log::context{st.live->owner().tenant, st.live->id()}.tag();
  harden(self, st.log, st.tag);
  auto* ctx = &hub->context();
  const auto tenant = st.live->owner().tenant;
  const auto id = st.live->id();
  return {
    [=](msg::transcript_partial& m) {
      send(self, {{"t", "partial"}, {"utt", m.utt}, {"text", m.text}});
    },
    [=](msg::transcript_segment& m) {
      auto seg_json = session::to_json(m);
      store::segment_row row{m.utt, m.start_ms, m.end_ms, m.text,
                             seg_json["words"].dump(),
                             seg_json["alternatives"].dump(), m.recognizer,
                             m.adapt_state};
      if (auto err = ctx->db->add_segment(tenant, id, row))
        self->state.log->error("{} storing a segment failed: {}", self->state.tag,
                               describe(err));
      // End of the utterance's audio -> its final text. Meaningful for
      // clients streaming in real time (audio time ~ wall time since frame 0).
      if (auto t0 = self->state.live->first_frame(); t0 != decltype(t0){}) {
        auto lag = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - t0).count() - m.end_ms;
        if (lag >= 0)
          ctx->stats->observe("sof_stt_final_latency_ms", {}, lag);
      }
      send(self, {{"t", "segment"}, {"utt", m.utt}, {"start_ms", m.start_ms},
                  {"end_ms", m.end_ms}, {"text", m.text},
                  {"words", seg_json["words"]},
                  {"alternatives", seg_json["alternatives"]},
                  {"recognizer", m.recognizer}});
    },
    [=](msg::coverage_update& u) { send(self, coverage_message(u)); },
    [=](msg::turn_ended& m) {
      if (m.end_of_audio)
        return;
      self->state.turn_end_at = std::chrono::steady_clock::now();
      send(self, {{"t", "turn_end"}, {"turn", m.turn}, {"at_ms", m.at_ms}});
    },
    [=](msg::followup_question& q) {
      if (auto err = ctx->db->add_followup(tenant, id, {q.turn, q.action, q.text, q.point_id, q.at_ms}))
        self->state.log->error("{} storing a follow-up failed: {}", self->state.tag,
                               describe(err));
      send(self, {{"t", "followup"}, {"turn", q.turn}, {"action", q.action},
                  {"text", q.text}, {"point_id", q.point_id}, {"phase", q.phase}});
    },
    [=](msg::voice_chunk& c) {
      auto& st = self->state;
      if (c.seq == 0 && st.turn_end_at) {
        // End of the candidate's turn (declared) -> first follow-up audio.
        ctx->stats->observe("sof_turn_latency_ms", {},
                            std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - *st.turn_end_at)
                              .count());
        st.turn_end_at.reset();
      }
      send(self, {{"t", "voice"}, {"speech_id", c.speech_id}, {"seq", c.seq},
                  {"pcm", wire::pcm_bin(c.pcm)}});
    },
    [=](msg::voice_done& d) {
      if (d.outcome == "barged_in")
        send(self, {{"t", "barge_in"}, {"speech_id", d.speech_id}});
      if (d.ttfa_ms >= 0)
        ctx->stats->observe("sof_tts_first_audio_ms", {{"provider", d.provider}}, d.ttfa_ms);
      send(self, {{"t", "voice_done"}, {"speech_id", d.speech_id},
                  {"outcome", d.outcome}, {"unspoken", d.unspoken_text}});
    },
    [=](msg::frame_rejected& m) {
      send(self, {{"t", "error"}, {"code", "bad_frame"}, {"message", m.reason},
                  {"fatal", false}, {"seq", m.seq}});
    },
    [=](msg::provider_restarted& m) {
      ctx->stats->add("sof_provider_restarts_total", {{"kind", m.kind}});
    },
    [=](msg::provider_escalated& m) {
      ctx->stats->add("sof_provider_escalations_total", {{"kind", m.kind}});
    },
    [=](msg::second_pass_outcome& m) {
      ctx->stats->add("sof_stt_second_pass_total", {{"outcome", m.outcome}});
    },
    [=](msg::speech_started&) {},
    [=](msg::dimension_result&) {},
    [=](msg::end_atom) { finish(self, "completed"); },
    [=](msg::drain_atom) { finish(self, "interrupted"); },
    [=](msg::detached_atom, uint64_t generation) {
      self->delayed_send(self, std::chrono::seconds{ctx->cfg.server.resume_window_s},
                         msg::expire_atom::value, generation);
    },
    [=](msg::expire_atom, uint64_t generation) {
      if (self->state.live->expire(generation)) {
        self->state.log->info("{} no connection for {} s: finishing as interrupted",
                              self->state.tag, ctx->cfg.server.resume_window_s);
        self->send(self, msg::drain_atom::value);
      }
    },
  };
}

}  // namespace

// -- live_session --------------------------------------------------------------

live_session::live_session(std::string id, who owner, std::string question_id)
  : id_(std::move(id)), owner_(std::move(owner)), question_id_(std::move(question_id)) {
}

frame_verdict live_session::on_audio(wire::audio&& a) {
  std::shared_ptr<connection_sink> conn;
  uint64_t ack = 0;
  bool send_ack = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    ++frames_.received;
    if (ending_)
      return frame_verdict::ended;
    if (a.seq < next_seq_) {
      ++frames_.duplicates_dropped;
      return frame_verdict::duplicate;
    }
    if (a.seq > next_seq_) {
      ++frames_.refused;
      return frame_verdict::out_of_order;
    }
    if (a.seq == 0)
      first_frame_ = std::chrono::steady_clock::now();
    caf::anon_send(session_, msg::audio_frame{a.seq, a.ts_ms, std::move(a.pcm)});
    ack = next_seq_++;
    send_ack = next_seq_ % ack_every == 0;
    conn = conn_;
  }
  if (send_ack && conn)
    conn->send(wire::encode_server({{"t", "ack"}, {"seq", ack}}));
  return frame_verdict::delivered;
}

void live_session::end() {
  std::shared_ptr<connection_sink> conn;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (ending_)
      return;
    ending_ = true;
    conn = conn_;
    if (conn && next_seq_ > 0)
      conn->send(wire::encode_server({{"t", "ack"}, {"seq", next_seq_ - 1}}));
  }
  caf::anon_send(bridge_, msg::end_atom::value);
}

void live_session::attach(std::shared_ptr<connection_sink> conn) {
  std::lock_guard<std::mutex> guard{mutex_};
  conn_ = conn;
  ++detach_generation_;
  // Nothing to flush into (a session opened before its connection is
  // attached): the backlog waits. Flushed under the lock, so a message
  // pushed meanwhile cannot overtake it; send() only queues.
  if (!conn)
    return;
  for (auto& b : backlog_)
    conn->send(std::move(b.bytes));
  backlog_.clear();
}

void live_session::detach(const connection_sink* conn) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (conn_.get() != conn)
      return;  // already replaced by a resumed connection
    conn_.reset();
    generation = ++detach_generation_;
  }
  caf::anon_send(bridge_, msg::detached_atom::value, generation);
}

std::chrono::steady_clock::time_point live_session::first_frame() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return first_frame_;
}

bool live_session::expire(uint64_t generation) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (conn_ || detach_generation_ != generation)
    return false;
  ending_ = true;
  return true;
}

frame_counts live_session::frames() const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto f = frames_;
  f.delivered = next_seq_;
  return f;
}

uint64_t live_session::next_seq() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return next_seq_;
}

bool live_session::attached() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return conn_ != nullptr;
}

nlohmann::json live_session::started_message(bool resumed) const {
  std::lock_guard<std::mutex> guard{mutex_};
  return {{"t", "started"}, {"session_id", id_}, {"question", question_},
          {"resumed", resumed}, {"next_seq", next_seq_}};
}

void live_session::push(std::string bytes, bool droppable) {
  std::shared_ptr<connection_sink> conn;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    conn = conn_;
    if (!conn) {
      if (backlog_.size() >= max_backlog) {
        // What later messages supersede goes first: the oldest voice chunk,
        // partial or ack; the transcript and follow-ups only if nothing
        // else is left (2,000 of them in one resume window).
        auto victim = std::find_if(backlog_.begin(), backlog_.end(),
                                   [](const kept& k) { return k.droppable; });
        backlog_.erase(victim != backlog_.end() ? victim : backlog_.begin());
        ++backlog_dropped_;
      }
      backlog_.push_back({std::move(bytes), droppable});
      return;
    }
  }
  conn->send(std::move(bytes));
}

uint64_t live_session::backlog_dropped() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return backlog_dropped_;
}

// -- session_hub ----------------------------------------------------------------

session_hub::session_hub(service_context ctx) : ctx_(std::move(ctx)) {
}

session_hub::~session_hub() = default;

caf::expected<std::shared_ptr<live_session>>
session_hub::open(const who& owner, const wire::start& s,
                  std::shared_ptr<connection_sink> conn) {
  const auto* q = ctx_.bank->find(s.question);
  if (!q)
    return make_error(errc::not_found,
                      "unknown question '" + wire::clip_utf8(s.question, 64) + "'");
  auto today = ctx_.db->count_sessions_since(owner.tenant, wall_ms() - 86'400'000);
  if (auto reason = ctx_.limits->try_open(owner.tenant, wall_ms(), today ? *today : 0))
    return make_error(errc::unsupported, *reason);
  auto live = std::make_shared<live_session>(session::new_session_id(), owner, q->id);
  live->question_ = {{"id", q->id}, {"title", q->title}, {"prompt", q->prompt},
                     {"time_limit_s", q->time_limit_minutes * 60}};
  store::session_row row;
  row.id = live->id();
  row.tenant = owner.tenant;
  row.user = owner.user;
  row.question_id = q->id;
  row.question_title = q->title;
  row.status = "live";
  row.created_ms = wall_ms();
  if (!ctx_.journal_dir.empty())
    row.journal_path = (ctx_.journal_dir / (live->id() + ".journal")).string();
  if (auto err = ctx_.db->create_session(row)) {
    ctx_.limits->close(owner.tenant);
    return err;
  }
  session::session_options so;
  so.session_id = live->id();
  so.tenant = owner.tenant;
  so.cfg = ctx_.cfg;
  so.cfg.tts.realtime = true;
  so.journal_path = row.journal_path;
  so.voice = s.voice;
  so.read_prompt = s.read_prompt;
  so.interview.question = std::make_shared<const config::question>(*q);
  so.interview.engine = ctx_.engine;
  so.interview.grader_deadline_ms = ctx_.cfg.grading.deadline_ms;
  so.interview.grader_retries = ctx_.cfg.grading.retries;
  so.interview.followups = s.followups;
  live->bridge_ = ctx_.sys->spawn(bridge, live, this);
  so.listener = live->bridge_;
  live->session_ = session::spawn_session(*ctx_.sys, std::move(so));
  live->attach(std::move(conn));
  {
    std::lock_guard<std::mutex> guard{mutex_};
    live_[live->id()] = live;
  }
  ctx_.stats->add("sof_sessions_started_total", {{"tenant", owner.tenant}});
  return live;
}

caf::expected<std::shared_ptr<live_session>>
session_hub::resume(const who& owner, const std::string& id,
                    std::shared_ptr<connection_sink> conn) {
  std::shared_ptr<live_session> live;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    auto i = live_.find(id);
    // Another tenant's or user's session is "not found", never "forbidden".
    if (i != live_.end() && i->second->owner().tenant == owner.tenant
        && i->second->owner().user == owner.user)
      live = i->second;
  }
  if (!live)
    return make_error(errc::not_found,
                      "no live session '" + wire::clip_utf8(id, 64) + "' of yours");
  live->attach(std::move(conn));
  return live;
}

void session_hub::forget(const std::string& id, const std::string& tenant) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (live_.erase(id) > 0)
    ctx_.limits->close(tenant);
  if (live_.empty())
    empty_.notify_all();
}

std::size_t session_hub::drain(std::chrono::seconds bound) {
  std::vector<std::shared_ptr<live_session>> all;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    for (auto& [_, l] : live_)
      all.push_back(l);
  }
  for (auto& l : all) {
    {
      std::lock_guard<std::mutex> guard{l->mutex_};
      l->ending_ = true;
    }
    l->push(wire::encode_server(wire::error_message(
      "server_draining", "the server is shutting down; your session is being graded and stored",
      false)));
    caf::anon_send(l->bridge_, msg::drain_atom::value);
  }
  std::unique_lock<std::mutex> lock{mutex_};
  empty_.wait_for(lock, bound, [this] { return live_.empty(); });
  for (auto& [id, l] : live_) {
    // Past the bound: what was said is stored already; mark it.
    ctx_.db->finish_session(l->owner().tenant, id, "interrupted", wall_ms(), "", 0, "", "",
                            "server shut down before grading finished");
  }
  return live_.size();
}

std::size_t session_hub::live() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return live_.size();
}

}  // namespace sof::server
