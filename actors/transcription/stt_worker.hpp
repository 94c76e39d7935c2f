#pragma once
// The actor that owns one speech-to-text provider instance. Blocking, so it
// runs detached in production. Applies injected faults (crash, hang,
// garbage, error, delay) around the provider calls when chaos is configured.
#include "actors/supervision/fault_injection.hpp"
#include "actors/providers/stt/stt_provider.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <memory>

namespace sof::transcription {

struct stt_worker_options {
  config::stt_settings stt;
  supervision::fault_injector faults;
  bool detached = true;  // false only under the deterministic test scheduler
  stt::session_hints hints;  // the session's question, for biasing
};

/// Spawns a worker linked to `parent`, which receives its stt_partial,
/// stt_final and stt_failed messages.
caf::actor spawn_stt_worker(caf::local_actor* parent,
                            const stt_worker_options& opts);

}  // namespace sof::transcription
