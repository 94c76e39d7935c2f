#include "actors/transcription/transcription_actor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/messages/messages.hpp"
#include "actors/supervision/restart_policy.hpp"
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
  static inline const char* name = "transcription";
};

using self_t = caf::stateful_actor<transcription_state>;

void start_worker(self_t* self);
void on_worker_failure(self_t* self, const std::string& reason);

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

void deliver_drains_if_idle(self_t* self) {
  auto& st = self->state;
  if (!st.core.idle())
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
                 [&](msg::transcript_segment& m) { self->send(st.session, std::move(m)); },
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
    else if (em.source == st.session.address())
      self->quit(em.reason);
    // else: the exit of a worker already replaced; nothing to do.
  });
  start_worker(self);
  st.log->debug("{} transcription {} supervising worker {}",
                st.opts.log_ctx.tag(), self->id(), st.worker.id());
  return {
    [=](msg::utterance_begin& m) { apply(self, self->state.core.on_utterance_begin(m)); },
    [=](msg::utterance_audio& m) {
      apply(self, self->state.core.on_utterance_audio(std::move(m)));
    },
    [=](msg::utterance_end& m) { apply(self, self->state.core.on_utterance_end(m)); },
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
      if (st.core.idle())
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
