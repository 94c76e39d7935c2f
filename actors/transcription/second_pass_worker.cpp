#include "actors/transcription/second_pass_worker.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/messages/messages.hpp"
#include "actors/providers/stt/stt_provider.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace sof::transcription {
namespace {

struct worker_state {
  std::unique_ptr<stt::stt_provider> provider;
  second_pass_worker_options opts;
  caf::actor parent;
  bool hung = false;  // an injected hang: silent until the supervisor kills us
  static inline const char* name = "second_pass_worker";
};

using worker_t = caf::stateful_actor<worker_state>;

int64_t now_ms(worker_t* self) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           self->clock().now().time_since_epoch())
    .count();
}

caf::expected<stt::utterance_result> recognise(stt::stt_provider& p,
                                               const std::vector<int16_t>& pcm) {
  // A remote recogniser keeps no state between utterances: always the
  // initial one.
  if (auto err = p.begin_utterance({}))
    return err;
  if (auto err = p.feed(pcm))
    return err;
  return p.end_utterance();
}

caf::behavior worker_impl(worker_t* self, caf::actor parent,
                          second_pass_worker_options opts) {
  auto& st = self->state;
  st.parent = std::move(parent);
  st.opts = std::move(opts);
  auto provider = stt::default_registry().create(st.opts.stt);
  if (!provider) {
    self->send(st.parent, msg::second_pass_failed{0, describe(provider.error()),
                                          is_permanent(provider.error())});
    self->quit(provider.error());
    return {};
  }
  st.provider = std::move(*provider);
  harden(self, log::get("stt"), "second_pass_worker");
  exit_on_exception_with_error(self);
  return {
    [=](msg::second_pass_request& m) {
      auto& st = self->state;
      if (st.hung)
        return;
      // Older requests took so long that this one can no longer win: do
      // not add it to a server that is probably struggling already.
      if (now_ms(self) >= m.expires_ms) {
        self->send(st.parent,
                   msg::second_pass_failed{m.utt,
                                           "deadline passed before the "
                                           "request could be sent",
                                           false, true});
        return;
      }
      auto plan = st.opts.faults.plan("stt.second_pass", m.utt, 0);
      // An injected crash is a real exception: CAF ends the actor as a
      // provider bug would.
      if (plan.crash)
        throw std::runtime_error("injected fault: second pass crash");
      if (plan.hang) {
        st.hung = true;
        return;
      }
      if (plan.delay.count() > 0)
        std::this_thread::sleep_for(plan.delay);
      auto res = recognise(*st.provider, m.pcm);
      if (!res) {
        self->send(st.parent,
                   msg::second_pass_failed{m.utt, describe(res.error())});
        return;
      }
      if (plan.error) {
        self->send(st.parent, msg::second_pass_failed{
                                m.utt, "injected fault: second pass error"});
        return;
      }
      msg::second_pass_answer out;
      out.utt = m.utt;
      out.text = plan.garbage ? supervision::garbage_text(m.utt)
                              : std::move(res->text);
      for (auto& w : res->words)
        out.words.push_back({std::move(w.word), w.start_ms, w.end_ms,
                             w.confidence});
      out.recognizer = st.provider->name();
      self->send(st.parent, std::move(out));
    },
  };
}

}  // namespace

config::stt_settings second_pass_settings(const config::stt_settings& stt) {
  auto out = stt;
  out.provider = stt.second_pass;
  out.openai.timeout_ms = static_cast<int>(
    std::min<int64_t>(stt.openai.timeout_ms,
                      stt.second_pass_deadline_ms + second_pass_margin.count()));
  return out;
}

caf::actor spawn_second_pass_worker(caf::local_actor* parent,
                                    const second_pass_worker_options& opts) {
  auto self = caf::actor_cast<caf::actor>(parent);
  if (opts.detached)
    return parent->spawn<caf::detached + caf::linked>(worker_impl, self, opts);
  return parent->spawn<caf::linked>(worker_impl, self, opts);
}

}  // namespace sof::transcription
