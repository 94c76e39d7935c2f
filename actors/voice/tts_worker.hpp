#pragma once
// The actor that owns one text-to-speech provider instance. Blocking, so
// it runs detached in production. Streams tts_chunk messages to its parent
// while synthesis runs; a cancel or stop arrives through shared atomics,
// because a detached actor busy in a synthesis call reads no messages.
// Applies injected faults (tts.crash, tts.hang, tts.delay, tts.error,
// tts.garbage, or per provider: tts.flite.delay=...) when configured.
#include "actors/providers/tts/tts_provider.hpp"
#include "actors/supervision/fault_injection.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <memory>

namespace sof::voice {

struct worker_control {
  std::atomic<uint64_t> cancel_job{0};  // stop this job's synthesis
  std::atomic<bool> stop{false};        // the worker is being replaced
};

struct tts_worker_options {
  config::tts_settings tts;
  tts::provider_spec spec;
  supervision::fault_injector faults;
  bool detached = true;  // false only under the deterministic test scheduler
  std::shared_ptr<worker_control> control;
};

/// Spawns a worker linked to `parent`, which receives its tts_chunk,
/// tts_done and tts_failed messages.
caf::actor spawn_tts_worker(caf::local_actor* parent,
                            const tts_worker_options& opts);

}  // namespace sof::voice
