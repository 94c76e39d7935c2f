#pragma once
#include "config/settings.hpp"

#include <caf/fwd.hpp>
#include <caf/actor.hpp>

namespace sof::capture {

/// Spawns the capture agent: frames in from the session, utterances out to
/// `transcription`, speech/turn events and rejections back to `session`.
/// Handles: audio_frame; end_atom -> capture_report.
caf::actor spawn_capture(caf::local_actor* parent,
                         const config::capture_settings& cfg,
                         caf::actor session, caf::actor transcription);

}  // namespace sof::capture
