#pragma once
// The voice agent: speaks the interviewer's lines through one or several
// text-to-speech providers (single, race or hedge), supervises one worker
// per provider (one-for-one restart with backoff), paces audio out at real
// time and stops within one chunk on barge-in.
//
// In: speak, barge_in, stats_atom -> voice_stats, finish_atom (stop all).
// Out, to the sink: voice_chunk, voice_done, provider_restarted,
// provider_escalated.
#include "actors/common/logging.hpp"
#include "actors/supervision/fault_injection.hpp"
#include "actors/voice/voice_core.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace sof::voice {

struct voice_options {
  config::tts_settings tts;
  config::supervision_settings supervision;
  supervision::fault_injector faults;
  bool detached = true;  // false only under the deterministic test scheduler
  log::context log_ctx;
  caf::actor sink;
};

/// The core's configuration from settings (policy and provider labels).
caf::expected<core_config> make_core_config(const config::tts_settings& tts);

/// Creates every configured provider once: unknown providers or voices and
/// missing engines become one clear error before anything is spawned.
caf::error check_providers(const config::tts_settings& tts);

/// A voice of its own (command-line tools).
caf::actor spawn_voice(caf::actor_system& sys, voice_options opts);

/// A voice linked to its parent (a session).
caf::actor spawn_voice(caf::local_actor* parent, voice_options opts);

}  // namespace sof::voice
