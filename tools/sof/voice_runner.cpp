#include "tools/sof/voice_runner.hpp"

#include <caf/all.hpp>

namespace sof::cli {

voice_runner::voice_runner(caf::actor_system& sys, voice::voice_options opts)
  : self_(sys) {
  opts.sink = caf::actor{self_};
  voice_ = voice::spawn_voice(sys, std::move(opts));
}

voice_runner::~voice_runner() {
  self_->send_exit(voice_, caf::exit_reason::user_shutdown);
}

spoken voice_runner::say(uint32_t id, const std::string& text,
                         std::chrono::milliseconds timeout) {
  spoken out;
  self_->send(voice_, msg::speak{id, text});
  bool done = false;
  while (!done)
    self_->receive(
      [&](msg::voice_chunk& c) {
        if (c.speech_id == id)
          out.pcm.insert(out.pcm.end(), c.pcm.begin(), c.pcm.end());
      },
      [&](msg::voice_done& d) {
        if (d.speech_id != id)
          return;
        out.done = std::move(d);
        done = true;
      },
      [&](msg::provider_restarted&) { ++restarts_; },
      [&](msg::provider_escalated&) { ++escalations_; },
      caf::after(timeout) >> [&] {
        out.timed_out = true;
        out.done.speech_id = id;
        out.done.outcome = "failed";
        out.done.reason = "no answer from the voice within "
                          + std::to_string(timeout.count()) + " ms";
        self_->send(voice_, msg::finish_atom::value);
        done = true;
      });
  return out;
}

msg::voice_stats voice_runner::stats() {
  msg::voice_stats out;
  self_->request(voice_, std::chrono::seconds{10}, msg::stats_atom::value)
    .receive([&](msg::voice_stats& s) { out = std::move(s); },
             [&](caf::error&) {});
  return out;
}

}  // namespace sof::cli
