#include "actors/transcription/transcription_actor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/messages/messages.hpp"
#include "actors/supervision/restart_policy.hpp"
#include "actors/transcription/second_pass_core.hpp"
#include "actors/transcription/second_pass_worker.hpp"
#include "actors/transcription/transcription_core.hpp"

#include <caf/all.hpp>

#include <optional>

namespace sof::transcription {
namespace {

struct transcription_state {
  transcription_options opts;
  transcription_core core;
  std::optional<supervision::restart_policy> policy;
  caf::actor session;
  caf::actor worker;       // invalid while waiting out a backoff
  uint64_t incarnation = 0;  // bumps at every worker (re)start
  uint64_t progress = 0;     // bumps at every message from the worker
  bool watchdog_armed = false;
  uint32_t restarts = 0;
  std::vector<caf::response_promise> drains;
  std::shared_ptr<spdlog::logger> log;
  // The second pass (docs/stt.md): set when [stt] second_pass names a
  // recogniser. Its worker is supervised like the local one, but a failure
  // of it only ever costs the second pass, never a word or the session.
  std::optional<second_pass_core> sp;
  std::optional<supervision::restart_policy> sp_policy;
  second_pass_worker_options sp_opts;
  caf::actor sp_worker;  // invalid during a backoff and after escalation
  uint64_t sp_incarnation = 0;
  uint64_t sp_progress = 0;
  bool sp_watchdog_armed = false;
  uint32_t sp_restarts = 0;
  static inline const char* name = "transcription";
};

using self_t = caf::stateful_actor<transcription_state>;

void start_worker(self_t* self);
void on_worker_failure(self_t* self, const std::string& reason);
void apply_second_pass(self_t* self, second_pass_effects&& fx);

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

// Every utterance that began has its final segment out (a segment the
// second pass still races for is not out yet).
bool idle(const transcription_state& st) {
  return st.core.idle() && (!st.sp || st.sp->idle());
}

void deliver_drains_if_idle(self_t* self) {
  auto& st = self->state;
  if (!idle(st))
    return;
  for (auto& rp : st.drains)
    rp.deliver(static_cast<uint32_t>(st.core.segments().size()));
  st.drains.clear();
}

// Watches for a worker that owes work but says nothing for final_timeout_ms.
void ensure_watchdog(self_t* self) {
  auto& st = self->state;
  if (st.watchdog_armed || !st.worker || st.core.idle())
    return;
  st.watchdog_armed = true;
  self->delayed_send(self,
                     std::chrono::milliseconds{st.opts.worker.stt.final_timeout_ms},
                     msg::watchdog_atom::value, st.progress, st.incarnation);
}

// Sends commands to the worker, partials/segments to the session.
void apply(self_t* self, effects&& fx) {
  auto& st = self->state;
  for (auto& e : fx)
    std::visit(overloaded{
                 [&](msg::transcript_partial& m) { self->send(st.session, std::move(m)); },
                 [&](msg::transcript_segment& m) {
                   if (st.sp)  // raced against the second pass first
                     apply_second_pass(self, st.sp->on_local(std::move(m)));
                   else
                     self->send(st.session, std::move(m));
                 },
                 [&](auto& m) {
                   // No worker during a backoff: the core keeps the audio
                   // and replays it into the next one.
                   if (st.worker)
                     self->send(st.worker, std::move(m));
                 },
               },
               e);
  ensure_watchdog(self);
  deliver_drains_if_idle(self);
}

bool from_worker(self_t* self) {
  auto& st = self->state;
  if (!st.worker
      || caf::actor_cast<caf::actor_addr>(self->current_sender())
           != st.worker.address())
    return false;  // a stale message from a worker already replaced
  ++st.progress;
  return true;
}

void start_worker(self_t* self) {
  auto& st = self->state;
  st.worker = spawn_stt_worker(self, st.opts.worker);
  ++st.incarnation;
  st.watchdog_armed = false;
  apply(self, st.core.replay());
}

void escalate(self_t* self, const std::string& reason) {
  auto& st = self->state;
  st.log->error("{} stt escalated after {} restarts: {}", st.opts.log_ctx.tag(),
                st.restarts, reason);
  self->send(st.session, msg::provider_escalated{"stt", reason});
  auto err = make_error(errc::escalated, "speech-to-text: " + reason);
  for (auto& rp : st.drains)
    rp.deliver(err);
  st.drains.clear();
  self->quit(err);
}

void on_worker_failure(self_t* self, const std::string& reason) {
  auto& st = self->state;
  if (st.worker) {
    self->unlink_from(st.worker);
    self->send_exit(st.worker, caf::exit_reason::kill);
    st.worker = nullptr;
  }
  auto decision = st.policy->on_failure(self->clock().now());
  if (!decision.restart)
    return escalate(self, reason);
  ++st.restarts;
  st.log->warn("{} stt worker failed ({}); restart #{} in {} ms, replaying {} "
               "samples",
               st.opts.log_ctx.tag(), reason, st.restarts,
               decision.delay.count(), st.core.held_samples());
  self->send(st.session, msg::provider_restarted{"stt", reason, st.restarts,
                                                 decision.delay.count()});
  self->delayed_send(self, decision.delay, msg::restart_atom::value,
                     st.incarnation);
}

// -- the second pass: its worker's supervision -------------------------------

int64_t now_ms(self_t* self) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           self->clock().now().time_since_epoch())
    .count();
}

bool from_second_pass(self_t* self) {
  auto& st = self->state;
  if (!st.sp_worker
      || caf::actor_cast<caf::actor_addr>(self->current_sender())
           != st.sp_worker.address())
    return false;  // stale: from a worker already replaced
  ++st.sp_progress;
  return true;
}

// The HTTP call is capped at deadline + margin (second_pass_settings), so a
// worker that owes answers and says nothing for longer than that is hung.
std::chrono::milliseconds second_pass_watchdog(const transcription_state& st) {
  return std::chrono::milliseconds{st.sp_opts.stt.openai.timeout_ms + 1000};
}

void ensure_second_pass_watchdog(self_t* self) {
  auto& st = self->state;
  if (st.sp_watchdog_armed || !st.sp_worker || !st.sp->busy())
    return;
  st.sp_watchdog_armed = true;
  self->delayed_send(self, second_pass_watchdog(st), msg::second_atom::value,
                     msg::watchdog_atom::value, st.sp_progress,
                     st.sp_incarnation);
}

void start_second_pass(self_t* self) {
  auto& st = self->state;
  st.sp_worker = spawn_second_pass_worker(self, st.sp_opts);
  ++st.sp_incarnation;
  st.sp_watchdog_armed = false;
  apply_second_pass(self, st.sp->on_worker_up());
}

void stop_second_pass_worker(self_t* self) {
  auto& st = self->state;
  if (!st.sp_worker)
    return;
  self->unlink_from(st.sp_worker);
  self->send_exit(st.sp_worker, caf::exit_reason::kill);
  st.sp_worker = nullptr;
}

// Past the restart intensity (or with a configuration that cannot work):
// the rest of the session goes on with local finals only. `pending`: the
// effects of the failure that led here, applied after the notice.
void escalate_second_pass(self_t* self, const std::string& reason,
                          second_pass_effects&& pending = {}) {
  auto& st = self->state;
  stop_second_pass_worker(self);
  ++st.sp_incarnation;  // no restart pending any more
  st.log->error("{} second pass off for the rest of the session after {} "
                "restarts: {}",
                st.opts.log_ctx.tag(), st.sp_restarts, reason);
  self->send(st.session, msg::provider_escalated{"stt.second_pass", reason});
  apply_second_pass(self, std::move(pending));
  apply_second_pass(self, st.sp->on_unavailable(reason));
}

// `blame`: charge the request the worker held (a crash or a hang); false
// when the core already charged the failure to its utterance.
void on_second_pass_failure(self_t* self, const std::string& reason,
                            bool blame) {
  auto& st = self->state;
  if (!st.sp_worker)
    return;
  stop_second_pass_worker(self);
  auto fx = st.sp->on_worker_down(blame ? reason : std::string{});
  auto decision = st.sp_policy->on_failure(self->clock().now());
  if (!decision.restart)
    return escalate_second_pass(self, reason, std::move(fx));
  ++st.sp_restarts;
  st.log->warn("{} second-pass worker failed ({}); restart #{} in {} ms",
               st.opts.log_ctx.tag(), reason, st.sp_restarts,
               decision.delay.count());
  self->send(st.session,
             msg::provider_restarted{"stt.second_pass", reason, st.sp_restarts,
                                     decision.delay.count()});
  self->delayed_send(self, decision.delay, msg::second_atom::value,
                     msg::restart_atom::value, st.sp_incarnation);
  // After the notice: these effects may complete a drain, and the session
  // draws up its summary (restarts included) when a drain completes.
  apply_second_pass(self, std::move(fx));
}

void apply_second_pass(self_t* self, second_pass_effects&& fx) {
  auto& st = self->state;
  std::vector<std::string> faults;
  for (auto& e : fx)
    std::visit(
      overloaded{
        [&](msg::second_pass_request& m) {
          if (st.sp_worker)
            self->send(st.sp_worker, std::move(m));
        },
        [&](msg::transcript_segment& m) { self->send(st.session, std::move(m)); },
        [&](msg::second_pass_outcome& m) {
          st.log->debug("{} second pass utt={} {} {}", st.opts.log_ctx.tag(),
                        m.utt, m.outcome, m.reason);
          if (m.outcome != "failed")  // a sound answer, in time or not
            st.sp_policy->on_progress();
          self->send(st.session, std::move(m));
        },
        [&](deadline_timer& t) {
          self->delayed_send(
            self, std::chrono::milliseconds{st.opts.worker.stt.second_pass_deadline_ms},
            msg::deadline_atom::value, t.utt);
        },
        [&](worker_fault& f) { faults.push_back(std::move(f.reason)); },
      },
      e);
  // After the loop: a restart applies effects of its own.
  for (const auto& reason : faults)
    on_second_pass_failure(self, reason, false);
  ensure_second_pass_watchdog(self);
  deliver_drains_if_idle(self);
}

void init_second_pass(self_t* self) {
  auto& st = self->state;
  const auto& stt = st.opts.worker.stt;
  if (stt.second_pass.empty())
    return;
  st.sp.emplace(stt.second_pass, stt.second_pass_deadline_ms);
  st.sp_policy.emplace(st.opts.supervision);
  st.sp_opts = {second_pass_settings(stt), st.opts.worker.faults,
                st.opts.worker.detached};
  start_second_pass(self);
}

caf::behavior transcription_impl(self_t* self, caf::actor session,
                                 transcription_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.session = std::move(session);
  st.policy.emplace(st.opts.supervision);
  st.log = log::get("transcription");
  // Trap exits: a linked worker's death is a failure to handle, not ours.
  harden(self, st.log, st.opts.log_ctx.tag());
  self->set_exit_handler([self](caf::exit_msg& em) {
    auto& st = self->state;
    if (st.worker && em.source == st.worker.address())
      on_worker_failure(self, "worker exited: " + describe(em.reason));
    else if (st.sp_worker && em.source == st.sp_worker.address())
      on_second_pass_failure(self, "worker exited: " + describe(em.reason), true);
    else if (em.source == st.session.address())
      self->quit(em.reason);
    // else: the exit of a worker already replaced; nothing to do.
  });
  start_worker(self);
  init_second_pass(self);
  st.log->debug("{} transcription {} supervising worker {}",
                st.opts.log_ctx.tag(), self->id(), st.worker.id());
  return {
    [=](msg::utterance_begin& m) {
      if (self->state.sp)
        self->state.sp->on_utterance_begin(m);
      apply(self, self->state.core.on_utterance_begin(m));
    },
    [=](msg::utterance_audio& m) {
      if (self->state.sp)
        self->state.sp->on_utterance_audio(m);
      apply(self, self->state.core.on_utterance_audio(std::move(m)));
    },
    [=](msg::utterance_end& m) {
      apply(self, self->state.core.on_utterance_end(m));
      if (self->state.sp)
        apply_second_pass(self, self->state.sp->on_utterance_end(m, now_ms(self)));
    },
    [=](msg::stt_partial& m) {
      if (from_worker(self))
        apply(self, self->state.core.on_partial(m));
    },
    [=](msg::stt_final& m) {
      self->state.log->debug("{} final utt={} \"{}\"",
                             self->state.opts.log_ctx.tag(), m.utt, m.text);
      if (!from_worker(self))
        return;
      auto fx = self->state.core.on_final(m);
      if (!fx)
        return on_worker_failure(self, "bad output: " + describe(fx.error()));
      self->state.policy->on_progress();
      apply(self, std::move(*fx));
    },
    [=](msg::stt_failed& m) {
      if (!from_worker(self))
        return;
      if (m.fatal)
        return escalate(self, m.reason);
      on_worker_failure(self, "error: " + m.reason);
    },
    [=](msg::second_pass_answer& m) {
      if (from_second_pass(self))
        apply_second_pass(self, self->state.sp->on_answer(m));
    },
    [=](msg::second_pass_failed& m) {
      if (!from_second_pass(self))
        return;
      if (m.fatal)
        return escalate_second_pass(self, m.reason);
      apply_second_pass(self, self->state.sp->on_failure(m));
    },
    [=](msg::deadline_atom, uint32_t utt) {
      if (self->state.sp)
        apply_second_pass(self, self->state.sp->on_deadline(utt));
    },
    [=](msg::second_atom, msg::restart_atom, uint64_t incarnation) {
      auto& st = self->state;
      if (incarnation == st.sp_incarnation && !st.sp_worker && st.sp->available())
        start_second_pass(self);
    },
    [=](msg::second_atom, msg::watchdog_atom, uint64_t progress,
        uint64_t incarnation) {
      auto& st = self->state;
      if (incarnation != st.sp_incarnation || !st.sp_worker)
        return;
      st.sp_watchdog_armed = false;
      if (progress == st.sp_progress && st.sp->busy())
        return on_second_pass_failure(
          self, "no answer for " + std::to_string(second_pass_watchdog(st).count())
                  + " ms", true);
      ensure_second_pass_watchdog(self);
    },
    [=](msg::restart_atom, uint64_t incarnation) {
      if (incarnation == self->state.incarnation && !self->state.worker)
        start_worker(self);
    },
    [=](msg::watchdog_atom, uint64_t progress, uint64_t incarnation) {
      auto& st = self->state;
      if (incarnation != st.incarnation || !st.worker)
        return;
      st.watchdog_armed = false;
      if (progress == st.progress && !st.core.idle())
        return on_worker_failure(
          self, "no answer for " + std::to_string(st.opts.worker.stt.final_timeout_ms)
                  + " ms");
      ensure_watchdog(self);
    },
    [=](msg::drain_atom) -> caf::result<uint32_t> {
      auto& st = self->state;
      st.log->debug("{} drain requested, {} utterances owed",
                    st.opts.log_ctx.tag(), st.core.owed());
      if (idle(st))
        return static_cast<uint32_t>(st.core.segments().size());
      auto rp = self->make_response_promise<uint32_t>();
      st.drains.push_back(rp);
      return rp;
    },
  };
}

}  // namespace

caf::actor spawn_transcription(caf::local_actor* parent,
                               const transcription_options& opts) {
  return parent->spawn<caf::linked>(transcription_impl,
                                    caf::actor_cast<caf::actor>(parent), opts);
}

}  // namespace sof::transcription
