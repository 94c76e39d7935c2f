#pragma once
// The follow-up agent: at each end of the candidate's turn, decides whether
// to ask and what. A thin shell over followup::followup_session; the
// coverage it needs comes from the rubric engine over the transcript so far.
//
// Request: (followup_atom, std::vector<transcript_segment> all_so_far,
//           turn_ended) -> followup_question
#include "actors/grading/rubric_engine.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>

namespace sof::followup {

caf::actor spawn_followup(caf::local_actor* parent,
                          std::shared_ptr<const grading::rubric_engine> engine,
                          std::shared_ptr<const config::question> question);

}  // namespace sof::followup
