#pragma once
// Drives a voice actor synchronously for command-line tools: speak one text,
// wait for its voice_done, keep the audio. Used by `sof say` and
// `sof tts-race`.
#include "actors/messages/messages.hpp"
#include "actors/voice/voice_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sof::cli {

struct spoken {
  msg::voice_done done;
  std::vector<int16_t> pcm;
  bool timed_out = false;
};

class voice_runner {
 public:
  voice_runner(caf::actor_system& sys, voice::voice_options opts);
  ~voice_runner();
  voice_runner(const voice_runner&) = delete;
  voice_runner& operator=(const voice_runner&) = delete;

  spoken say(uint32_t id, const std::string& text,
             std::chrono::milliseconds timeout = std::chrono::seconds{60});
  msg::voice_stats stats();
  /// Restarts and escalations seen so far.
  uint32_t restarts() const { return restarts_; }
  uint32_t escalations() const { return escalations_; }

 private:
  caf::scoped_actor self_;
  caf::actor voice_;
  uint32_t restarts_ = 0;
  uint32_t escalations_ = 0;
};

}  // namespace sof::cli
