#include "actors/capture/capture_actor.hpp"

#include "actors/capture/capture_core.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"

#include <caf/all.hpp>

#include <optional>

namespace sof::capture {
namespace {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

struct capture_state {
  std::optional<capture_core> core;  // emplaced at spawn (needs settings)
  caf::actor session;
  caf::actor transcription;
  static inline const char* name = "capture";
};

using capture_actor_t = caf::stateful_actor<capture_state>;

// Routes each effect of the core to the actor that needs it.
void apply(capture_actor_t* self, effects&& fx) {
  auto& st = self->state;
  for (auto& e : fx)
    std::visit(overloaded{
                 [&](msg::utterance_begin& m) { self->send(st.transcription, m); },
                 [&](msg::utterance_audio& m) {
                   self->send(st.transcription, std::move(m));
                 },
                 [&](msg::utterance_end& m) { self->send(st.transcription, m); },
                 [&](auto& m) { self->send(st.session, std::move(m)); },
               },
               e);
}

caf::behavior capture_impl(capture_actor_t* self,
                           config::capture_settings cfg, caf::actor session,
                           caf::actor transcription) {
  self->state.core.emplace(cfg);
  harden(self, log::get("capture"), "capture");
  self->state.session = std::move(session);
  self->state.transcription = std::move(transcription);
  return {
    [=](msg::audio_frame& f) { apply(self, self->state.core->on_frame(std::move(f))); },
    [=](msg::end_atom) {
      apply(self, self->state.core->on_end_of_audio());
      return msg::capture_report{self->state.core->delivery(),
                                 self->state.core->counters()};
    },
    [=](msg::stats_atom) { return self->state.core->next_seq(); },
  };
}

}  // namespace

caf::actor spawn_capture(caf::local_actor* parent,
                         const config::capture_settings& cfg,
                         caf::actor session, caf::actor transcription) {
  return parent->spawn<caf::linked>(capture_impl, cfg, std::move(session),
                                    std::move(transcription));
}

}  // namespace sof::capture
