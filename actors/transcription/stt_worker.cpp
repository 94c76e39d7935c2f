#include "actors/transcription/stt_worker.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/messages/messages.hpp"
#include "actors/providers/stt/stt_provider.hpp"

#include <caf/all.hpp>

#include <stdexcept>
#include <thread>

namespace sof::transcription {
namespace {

struct worker_state {
  std::unique_ptr<stt::stt_provider> provider;
  stt_worker_options opts;
  caf::actor parent;
  uint32_t utt = 0;
  stt::adapt_state state;  // where the next utterance starts (see stt_begin)
  stt::adapt_state start;  // where the open utterance started
  supervision::fault_plan plan;
  uint32_t chunks = 0;
  std::size_t since_partial = 0;
  bool hung = false;  // an injected hang: silent until the supervisor kills us
  static inline const char* name = "stt_worker";
};

using worker_t = caf::stateful_actor<worker_state>;

// An injected crash is a real exception thrown out of the handler: CAF ends
// the actor with sec::runtime_error, exactly as a provider bug would.
void maybe_crash(worker_t* self) {
  auto& st = self->state;
  if (st.plan.crash && st.chunks >= st.plan.crash_after)
    throw std::runtime_error("injected fault: stt crash");
}

void fail(worker_t* self, const caf::error& err) {
  self->send(self->state.parent,
             msg::stt_failed{self->state.utt, describe(err), false});
}

caf::behavior worker_impl(worker_t* self, caf::actor parent,
                          stt_worker_options opts) {
  auto& st = self->state;
  st.parent = std::move(parent);
  st.opts = std::move(opts);
  auto provider = stt::default_registry().create(st.opts.stt, st.opts.hints);
  if (!provider) {
    // Cannot work at all: report and stop; the supervisor decides.
    self->send(st.parent, msg::stt_failed{0, describe(provider.error()),
                                          is_permanent(provider.error())});
    self->quit(provider.error());
    return {};
  }
  st.provider = std::move(*provider);
  harden(self, log::get("stt"), "stt_worker");
  exit_on_exception_with_error(self);
  const std::size_t partial_every
    = static_cast<std::size_t>(st.opts.stt.partial_every_ms) * 16;
  return {
    [=](msg::stt_begin& m) {
      auto& st = self->state;
      if (st.hung)
        return;
      st.utt = m.utt;
      st.chunks = 0;
      st.since_partial = 0;
      st.plan = st.opts.faults.plan("stt", m.utt, m.attempt);
      if (m.set_state)
        st.state = std::move(m.state);
      st.start = st.state;
      if (auto err = st.provider->begin_utterance(st.start))
        fail(self, err);
    },
    [=](msg::stt_audio& m) {
      auto& st = self->state;
      if (st.hung || m.utt != st.utt)
        return;
      maybe_crash(self);
      ++st.chunks;
      if (auto err = st.provider->feed(m.pcm))
        return fail(self, err);
      st.since_partial += m.pcm.size();
      if (st.since_partial >= partial_every) {
        st.since_partial = 0;
        if (auto hyp = st.provider->partial(); hyp && !hyp->empty())
          self->send(st.parent, msg::stt_partial{st.utt, std::move(*hyp)});
      }
    },
    [=](msg::stt_end& m) {
      auto& st = self->state;
      if (st.hung || m.utt != st.utt)
        return;
      st.chunks = std::max(st.chunks, st.plan.crash_after);
      maybe_crash(self);
      if (st.plan.hang) {
        st.hung = true;
        return;
      }
      if (st.plan.delay.count() > 0)
        std::this_thread::sleep_for(st.plan.delay);
      auto res = st.provider->end_utterance();
      if (!res)
        return fail(self, res.error());
      if (st.plan.error)
        return fail(self, make_error(errc::provider_failed,
                                     "injected fault: stt error"));
      if (st.plan.garbage)
        res->text = supervision::garbage_text(m.utt);
      st.state = res->next_state;
      msg::stt_final out{m.utt, std::move(res->text)};
      out.words.reserve(res->words.size());
      for (auto& w : res->words)
        out.words.push_back({std::move(w.word), w.start_ms, w.end_ms,
                             w.confidence});
      out.alternatives = std::move(res->alternatives);
      out.start_state = st.start;
      out.next_state = std::move(res->next_state);
      out.recognizer = st.provider->name();
      self->send(st.parent, std::move(out));
    },
  };
}

}  // namespace

caf::actor spawn_stt_worker(caf::local_actor* parent,
                            const stt_worker_options& opts) {
  if (opts.detached)
    return parent->spawn<caf::detached + caf::linked>(worker_impl,
                                                      caf::actor_cast<caf::actor>(parent),
                                                      opts);
  return parent->spawn<caf::linked>(worker_impl,
                                    caf::actor_cast<caf::actor>(parent), opts);
}

}  // namespace sof::transcription
