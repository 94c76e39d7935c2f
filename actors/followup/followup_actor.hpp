#pragma once
// The follow-up agent: at each end of the candidate's turn, decides whether
// to ask and what. A thin shell over followup::followup_session; the
// coverage it needs comes from the rubric engine over the transcript so far.
// Chaos target "followup" (docs/chaos.md): per turn it may crash (the actor
// fails and its supervisor, the session, restarts it), hang (no answer: the
// session's deadline passes), delay its answer, answer with a malformed
// decision or with an error.
//
// Request: (followup_atom, std::vector<transcript_segment> all_so_far,
//           turn_ended) -> followup_question
#include "actors/grading/rubric_engine.hpp"
#include "actors/supervision/fault_injection.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>

namespace sof::followup {

struct followup_options {
  std::shared_ptr<const grading::rubric_engine> engine;
  std::shared_ptr<const config::question> question;
  supervision::fault_injector faults;
};

/// Spawns the agent linked to `parent` (its supervisor).
caf::actor spawn_followup(caf::local_actor* parent, followup_options opts);

}  // namespace sof::followup
