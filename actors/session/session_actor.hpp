#pragma once
// The session supervisor: root of one interview's actor tree. Owns the
// journal, spawns and links its agents (capture, transcription; follow-up,
// voice and graders join here in later stages), routes messages between
// them and the outside, and produces the session summary.
#include "actors/supervision/fault_injection.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <string>

namespace sof::session {

struct session_options {
  std::string session_id;
  std::string tenant = "local";
  config::settings cfg;
  supervision::fault_injector faults;
  bool detached_providers = true;  // false only under the test scheduler
  std::string journal_path;        // empty: no journal
  caf::actor listener;  // optional: receives copies of live events
};

/// Spawns a session. Accepts audio_frame; finish_atom -> session_summary
/// (after end of audio, once every utterance has its final segment).
caf::actor spawn_session(caf::actor_system& sys, session_options opts);

/// Builds a session id: time-ordered, unique within a process.
std::string new_session_id();

}  // namespace sof::session
