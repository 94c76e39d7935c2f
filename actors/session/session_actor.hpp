#pragma once
// The session supervisor: root of one interview's actor tree. Owns the
// journal, spawns and links its agents (capture, transcription, follow-up,
// voice, graders), routes messages between them and the outside, and
// produces the session summary.
#include "actors/providers/stt/stt_provider.hpp"
#include "actors/supervision/fault_injection.hpp"
#include "config/questions.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace sof::grading {
class rubric_engine;
}

namespace sof::session {

/// The interview part of a session: without it a session only transcribes.
struct interview_options {
  std::shared_ptr<const config::question> question;
  std::shared_ptr<const grading::rubric_engine> engine;
  int grader_deadline_ms = 5000;
  int grader_retries = 1;
  bool followups = true;
  // A follow-up decision not back by then is lost (the session goes on).
  int followup_deadline_ms = 10000;
};

struct session_options {
  std::string session_id;
  std::string tenant = "local";
  config::settings cfg;
  supervision::fault_injector faults;
  bool detached_providers = true;  // false only under the test scheduler
  std::string journal_path;        // empty: no journal
  caf::actor listener;  // optional: receives copies of live events
  bool voice = false;   // speak follow-ups (voice_chunk to the listener)
  // With voice and a question: speak the question's prompt first, as speech
  // msg::prompt_speech_id.
  bool read_prompt = false;
  interview_options interview;
  // What the recogniser is told about the session. Empty bias: derived
  // from interview.question (sof transcribe --question sets it alone,
  // to bias recognition without grading).
  stt::session_hints stt_hints;
};

/// Spawns a session. With a question, the listener also gets a
/// coverage_update after final segments (coalesced: at most one computation
/// in flight). Accepts audio_frame (or, for a typed answer,
/// transcript_segment and turn_ended directly); finish_atom -> session_summary
/// (after end of audio, once every utterance has its final segment, every
/// follow-up decision is made and, with a question, the graders reported).
caf::actor spawn_session(caf::actor_system& sys, session_options opts);

/// Builds a session id: time-ordered, unique within a process.
std::string new_session_id();

}  // namespace sof::session
