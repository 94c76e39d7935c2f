#pragma once
// The transcription agent: supervisor of one speech-to-text worker. Restarts
// a worker that crashed, reported an error, returned garbage or went silent
// (watchdog), with exponential backoff and an intensity limit, replaying all
// audio not yet confirmed by a final segment into the new worker.
#include "actors/common/logging.hpp"
#include "actors/transcription/stt_worker.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace sof::transcription {

struct transcription_options {
  stt_worker_options worker;
  config::supervision_settings supervision;
  log::context log_ctx;
};

/// Spawns the agent linked to `parent` (the session), which receives
/// transcript_partial, transcript_segment, provider_restarted and
/// provider_escalated, and with [stt] second_pass set second_pass_outcome
/// (docs/stt.md "Second pass"; that worker's kind is "stt.second_pass"). Handles utterance_begin/audio/end and
/// drain_atom -> uint32_t (number of segments) once every utterance is final.
caf::actor spawn_transcription(caf::local_actor* parent,
                               const transcription_options& opts);

}  // namespace sof::transcription
