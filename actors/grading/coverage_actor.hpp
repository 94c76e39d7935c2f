#pragma once
// The coverage agent: scores every rubric point of the question over the
// transcript so far, for the live coverage the candidate sees while the
// interview runs. A thin shell over grading::cover and summarize_coverage.
// Kept apart from the follow-up agent so that coverage works with follow-
// ups off and a coverage computation never delays a follow-up decision.
//
// Request: (coverage_atom, std::vector<transcript_segment> all_so_far)
//          -> coverage_update
#include "actors/grading/rubric_engine.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>

namespace sof::grading {

caf::actor spawn_coverage(caf::local_actor* parent,
                          std::shared_ptr<const rubric_engine> engine,
                          std::shared_ptr<const config::question> question);

}  // namespace sof::grading
