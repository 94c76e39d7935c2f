#include "actors/session/offline_run.hpp"

#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <thread>

namespace sof::session {

void prepare_actor_config(caf::actor_system_config& cfg) {
  msg::register_all(cfg);
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
}

caf::expected<msg::session_summary>
run_offline(caf::actor_system& sys, session_options opts,
            const std::vector<int16_t>& pcm, const offline_run& run) {
  // Live events go to a small actor that calls the caller's callbacks.
  caf::actor listener = sys.spawn([run](caf::event_based_actor* self) -> caf::behavior {
    harden(self, log::get("session"), "listener");
    return {
      [=](msg::transcript_partial& m) { if (run.on_partial) run.on_partial(m); },
      [=](msg::transcript_segment& m) { if (run.on_segment) run.on_segment(m); },
      [=](msg::provider_restarted& m) { if (run.on_restart) run.on_restart(m); },
      // Events this caller does not need.
      [](msg::speech_started&) {}, [](msg::turn_ended&) {},
      [](msg::frame_rejected&) {}, [](msg::provider_escalated&) {},
    };
  });
  opts.listener = listener;
  auto session = spawn_session(sys, std::move(opts));
  caf::scoped_actor self{sys};
  const std::size_t step = static_cast<std::size_t>(run.frame_ms) * 16;
  auto start = std::chrono::steady_clock::now();
  uint64_t seq = 0;
  for (std::size_t off = 0; off < pcm.size(); off += step, ++seq) {
    msg::audio_frame f;
    f.seq = seq;
    f.timestamp_ms = static_cast<int64_t>(seq) * run.frame_ms;
    auto end = std::min(pcm.size(), off + step);
    f.pcm.assign(pcm.begin() + off, pcm.begin() + end);
    if (run.realtime)
      std::this_thread::sleep_until(start + std::chrono::milliseconds{
                                              f.timestamp_ms});
    self->send(session, std::move(f));
  }
  caf::expected<msg::session_summary> result{caf::error{}};
  self->request(session, caf::infinite, msg::finish_atom::value)
    .receive([&](msg::session_summary& s) { result = std::move(s); },
             [&](caf::error& err) { result = err; });
  self->send_exit(session, caf::exit_reason::user_shutdown);
  self->send_exit(listener, caf::exit_reason::user_shutdown);
  return result;
}

}  // namespace sof::session
