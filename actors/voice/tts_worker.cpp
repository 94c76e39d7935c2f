#include "actors/voice/tts_worker.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/messages/messages.hpp"

#include <caf/all.hpp>

#include <stdexcept>
#include <thread>

namespace sof::voice {
namespace {

struct worker_state {
  std::unique_ptr<tts::tts_provider> provider;
  tts_worker_options opts;
  caf::actor parent;
  static inline const char* name = "tts_worker";
};

using worker_t = caf::stateful_actor<worker_state>;

bool cancelled(const worker_control& c, uint64_t job) {
  return c.stop.load() || c.cancel_job.load() == job;
}

// Sleeps in small steps so that a cancel or a replacement ends the wait.
void interruptible_sleep(const worker_control& c, uint64_t job,
                         std::chrono::milliseconds total) {
  auto until = std::chrono::steady_clock::now() + total;
  while (!cancelled(c, job) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
}

void synthesize(worker_t* self, msg::tts_synth& m) {
  auto& st = self->state;
  auto& ctl = *st.opts.control;
  auto plan = st.opts.faults.plan("tts." + st.opts.spec.name, m.fault_call,
                                  m.attempt);
  if (plan.delay.count() > 0)
    interruptible_sleep(ctl, m.job, plan.delay);
  if (plan.hang) {
    // Silent until cancelled or replaced: the voice's stall timer notices.
    // Under the test scheduler this thread runs every actor, so the hang is
    // only the silence, not a blocked thread.
    if (st.opts.detached)
      interruptible_sleep(ctl, m.job, std::chrono::hours{1});
    return;
  }
  if (cancelled(ctl, m.job))
    return;
  if (plan.error) {
    self->send(st.parent, msg::tts_failed{m.job, "injected fault: tts error", false});
    return;
  }
  uint32_t chunks = 0;
  uint64_t samples = 0;
  bool crash_now = false;
  auto sink = [&](std::span<const int16_t> pcm) {
    if (cancelled(ctl, m.job))
      return false;
    // A crash must not unwind through the synthesiser's C frames: stop it,
    // then throw from here.
    if (plan.crash && chunks >= plan.crash_after) {
      crash_now = true;
      return false;
    }
    ++chunks;
    samples += pcm.size();
    if (plan.garbage && chunks == 1) {
      // Implausible output: far larger than any chunk could be.
      self->send(st.parent, msg::tts_chunk{m.job, std::vector<int16_t>(1 << 20, 0x7fff)});
      return true;
    }
    self->send(st.parent, msg::tts_chunk{m.job, {pcm.begin(), pcm.end()}});
    return true;
  };
  auto err = st.provider->synthesize(m.text, sink);
  if (crash_now || (plan.crash && !cancelled(ctl, m.job)))
    throw std::runtime_error("injected fault: tts crash");
  if (cancelled(ctl, m.job))
    return;
  if (err)
    self->send(st.parent, msg::tts_failed{m.job, describe(err), false});
  else
    self->send(st.parent, msg::tts_done{m.job, samples});
}

caf::behavior worker_impl(worker_t* self, caf::actor parent,
                          tts_worker_options opts) {
  auto& st = self->state;
  st.parent = std::move(parent);
  st.opts = std::move(opts);
  auto provider = tts::default_registry().create(st.opts.spec, st.opts.tts);
  if (!provider) {
    // Cannot work at all (unknown voice, no engine): report and stop.
    self->send(st.parent, msg::tts_failed{0, describe(provider.error()), true});
    self->quit(provider.error());
    return {};
  }
  st.provider = std::move(*provider);
  harden(self, log::get("tts"), "tts_worker " + st.opts.spec.label());
  exit_on_exception_with_error(self);
  return {
    [=](msg::tts_synth& m) { synthesize(self, m); },
  };
}

}  // namespace

caf::actor spawn_tts_worker(caf::local_actor* parent,
                            const tts_worker_options& opts) {
  auto me = caf::actor_cast<caf::actor>(parent);
  if (opts.detached)
    return parent->spawn<caf::detached + caf::linked>(worker_impl, me, opts);
  return parent->spawn<caf::linked>(worker_impl, me, opts);
}

}  // namespace sof::voice
