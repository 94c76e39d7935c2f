#include "actors/voice/voice_actor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/messages/messages.hpp"
#include "actors/supervision/restart_policy.hpp"
#include "actors/voice/speech_text.hpp"
#include "actors/voice/tts_worker.hpp"

#include <caf/all.hpp>

#include <optional>

namespace sof::voice {
namespace {

struct provider_slot {
  tts::provider_spec spec;
  caf::actor worker;  // invalid while waiting out a backoff
  std::shared_ptr<worker_control> control;
  caf::actor_addr control_addr;  // the last worker, also once replaced
  std::optional<supervision::restart_policy> policy;
  std::optional<msg::tts_synth> pending;  // to send once the worker is back
  uint64_t incarnation = 0;
  uint32_t restarts = 0;
  bool escalated = false;
};

struct voice_state {
  voice_options opts;
  std::optional<voice_core> core;
  std::vector<provider_slot> slots;
  std::shared_ptr<spdlog::logger> log;
  std::size_t max_chunk = 0;
  static inline const char* name = "voice";
};

using self_t = caf::stateful_actor<voice_state>;

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

void on_worker_failure(self_t* self, std::size_t p, const std::string& reason);

void send_job(self_t* self, std::size_t p, msg::tts_synth synth) {
  auto& slot = self->state.slots[p];
  if (slot.worker)
    self->send(slot.worker, std::move(synth));
  else
    slot.pending = std::move(synth);  // sent by the restarted worker's start
}

void apply(self_t* self, effects&& fx) {
  auto& st = self->state;
  for (auto& e : fx)
    std::visit(
      overloaded{
        [&](start_job& j) { send_job(self, j.provider, std::move(j.synth)); },
        [&](cancel_job& c) {
          auto& slot = st.slots[c.provider];
          slot.control->cancel_job = c.job;
          if (slot.pending && slot.pending->job == c.job)
            slot.pending.reset();
        },
        [&](arm_timer& t) {
          self->delayed_send(self, t.delay, msg::watchdog_atom::value, t.token);
        },
        [&](provider_hung& h) { on_worker_failure(self, h.provider, h.reason); },
        [&](msg::voice_chunk& c) { self->send(st.opts.sink, std::move(c)); },
        [&](msg::voice_done& d) {
          st.log->info("{} speech {} {} by {} (first audio {:.1f} ms) {}",
                       st.opts.log_ctx.tag(), d.speech_id, d.outcome,
                       d.provider.empty() ? "-" : d.provider, d.ttfa_ms, d.reason);
          self->send(st.opts.sink, std::move(d));
        },
      },
      e);
}

void start_worker(self_t* self, std::size_t p) {
  auto& st = self->state;
  auto& slot = st.slots[p];
  slot.control = std::make_shared<worker_control>();
  tts_worker_options wo{st.opts.tts, slot.spec, st.opts.faults,
                        st.opts.detached, slot.control};
  slot.worker = spawn_tts_worker(self, wo);
  slot.control_addr = slot.worker.address();
  ++slot.incarnation;
  if (slot.pending) {
    self->send(slot.worker, std::move(*slot.pending));
    slot.pending.reset();
  }
}

std::optional<std::size_t> slot_of(self_t* self, const caf::actor_addr& who) {
  auto& slots = self->state.slots;
  for (std::size_t p = 0; p < slots.size(); ++p)
    if (slots[p].worker && slots[p].worker.address() == who)
      return p;
  return std::nullopt;
}

std::optional<std::size_t> sender_slot(self_t* self) {
  return slot_of(self, caf::actor_cast<caf::actor_addr>(self->current_sender()));
}

void on_worker_failure(self_t* self, std::size_t p, const std::string& reason) {
  auto& st = self->state;
  auto& slot = st.slots[p];
  auto now = self->clock().now();
  if (slot.worker) {
    // A detached worker stuck in a call cannot read an exit message: the
    // stop flag ends its wait, the kill ends the actor.
    slot.control->stop = true;
    self->unlink_from(slot.worker);
    self->send_exit(slot.worker, caf::exit_reason::kill);
    slot.worker = nullptr;
  }
  auto decision = slot.policy->on_failure(now);
  if (!decision.restart) {
    slot.escalated = true;
    st.log->error("{} tts provider {} escalated after {} restarts: {}",
                  st.opts.log_ctx.tag(), slot.spec.label(), slot.restarts, reason);
    self->send(st.opts.sink, msg::provider_escalated{"tts", slot.spec.label()
                                                              + ": " + reason});
  } else {
    ++slot.restarts;
    st.core->count_restart(p);
    st.log->warn("{} tts provider {} failed ({}); restart #{} in {} ms",
                 st.opts.log_ctx.tag(), slot.spec.label(), reason, slot.restarts,
                 decision.delay.count());
    uint32_t total = 0;
    for (const auto& s : st.slots)
      total += s.restarts;
    self->send(st.opts.sink, msg::provider_restarted{"tts", slot.spec.label() + ": "
                                                              + reason,
                                                     total, decision.delay.count()});
    self->delayed_send(self, decision.delay, msg::restart_atom::value,
                       static_cast<uint64_t>(p), slot.incarnation);
  }
  apply(self, st.core->on_failure(p, reason, now));
}

caf::behavior voice_impl(self_t* self, voice_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.log = log::get("voice");
  auto cc = make_core_config(st.opts.tts);
  if (!cc) {
    st.log->error("{} {}", st.opts.log_ctx.tag(), describe(cc.error()));
    self->quit(cc.error());
    return {};
  }
  st.core.emplace(*cc);
  // Anything beyond a few chunks' worth in one message is not audio from a
  // working provider.
  st.max_chunk = static_cast<std::size_t>(st.opts.tts.chunk_ms) * 16 * 4;
  harden(self, st.log, st.opts.log_ctx.tag());
  self->set_exit_handler([self](caf::exit_msg& em) {
    if (auto p = slot_of(self, em.source))
      return on_worker_failure(self, *p, "worker exited: " + describe(em.reason));
    for (const auto& slot : self->state.slots)
      if (slot.control && em.source == slot.control_addr)
        return;  // a worker already replaced
    self->quit(em.reason);  // the parent or whoever owns us: stop
  });
  for (const auto& label : st.opts.tts.providers) {
    provider_slot slot;
    slot.spec = *tts::parse_spec(label);  // validated by make_core_config
    slot.policy.emplace(st.opts.supervision);
    st.slots.push_back(std::move(slot));
  }
  for (std::size_t p = 0; p < st.slots.size(); ++p)
    start_worker(self, p);
  return {
    [=](msg::speak& m) {
      auto& st = self->state;
      auto pieces = split_for_speech(m.text, st.opts.tts.max_text_chars);
      if (!pieces) {
        msg::voice_done d{m.speech_id, "failed", {}, -1, -1, 0, {}, m.text,
                          describe(pieces.error())};
        return apply(self, {std::move(d)});
      }
      apply(self, st.core->speak(m.speech_id, std::move(*pieces), self->clock().now()));
    },
    [=](msg::barge_in&) { apply(self, self->state.core->barge_in(self->clock().now())); },
    [=](msg::finish_atom) {
      apply(self, self->state.core->stop(self->clock().now(), "session ended"));
    },
    [=](msg::stats_atom) { return self->state.core->stats(); },
    [=](msg::tts_chunk& m) {
      auto p = sender_slot(self);
      if (!p)
        return;  // a replaced worker's late audio
      if (m.pcm.empty() || m.pcm.size() > self->state.max_chunk)
        return on_worker_failure(self, *p, "implausible output: a chunk of "
                                             + std::to_string(m.pcm.size())
                                             + " samples");
      apply(self, self->state.core->on_chunk(m.job, std::move(m.pcm),
                                             self->clock().now()));
    },
    [=](msg::tts_done& m) {
      auto p = sender_slot(self);
      if (!p)
        return;
      self->state.slots[*p].policy->on_progress();
      apply(self, self->state.core->on_done(m.job, self->clock().now()));
    },
    [=](msg::tts_failed& m) {
      auto p = sender_slot(self);
      if (!p)
        return;
      on_worker_failure(self, *p, (m.fatal ? "fatal: " : "error: ") + m.reason);
    },
    [=](msg::watchdog_atom, uint64_t token) {
      apply(self, self->state.core->on_timer(token, self->clock().now()));
    },
    [=](msg::restart_atom, uint64_t p, uint64_t incarnation) {
      auto& st = self->state;
      if (p < st.slots.size() && st.slots[p].incarnation == incarnation
          && !st.slots[p].worker && !st.slots[p].escalated)
        start_worker(self, p);
    },
  };
}

}  // namespace

caf::expected<core_config> make_core_config(const config::tts_settings& tts) {
  auto policy = parse_policy(tts.policy);
  if (!policy)
    return policy.error();
  core_config cc;
  cc.policy = *policy;
  for (const auto& label : tts.providers) {
    auto spec = tts::parse_spec(label);
    if (!spec)
      return spec.error();
    if (!tts::default_registry().info(spec->name)) {
      std::string known;
      for (const auto& n : tts::default_registry().names())
        known += (known.empty() ? "" : ", ") + n;
      return make_error(errc::invalid_config, "unknown tts provider '" + spec->name
                                                + "' (known: " + known + ")");
    }
    cc.providers.push_back(spec->label());
  }
  if (cc.providers.empty())
    return make_error(errc::invalid_config, "no tts providers configured");
  cc.hedge_delay = ms{tts.hedge_delay_ms};
  cc.hedge_default = ms{tts.hedge_default_ms};
  cc.first_chunk_timeout = ms{tts.first_chunk_timeout_ms};
  cc.chunk_ms = tts.chunk_ms;
  cc.realtime = tts.realtime;
  cc.lead = ms{tts.lead_ms};
  return cc;
}

caf::error check_providers(const config::tts_settings& tts) {
  auto cc = make_core_config(tts);
  if (!cc)
    return cc.error();
  for (const auto& label : tts.providers) {
    auto p = tts::default_registry().create(*tts::parse_spec(label), tts);
    if (!p)
      return p.error();
  }
  return {};
}

caf::actor spawn_voice(caf::actor_system& sys, voice_options opts) {
  return sys.spawn(voice_impl, std::move(opts));
}

caf::actor spawn_voice(caf::local_actor* parent, voice_options opts) {
  return parent->spawn<caf::linked>(voice_impl, std::move(opts));
}

}  // namespace sof::voice
