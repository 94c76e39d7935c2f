#pragma once
// One grader agent: grades one rubric dimension of the question over the
// final transcript. A thin shell over rubric_engine::grade_dimension; runs
// detached in production because grading is CPU work that must not stall the
// scheduler (and an injected hang or delay must not either).
//
// Request: (grade_atom, std::vector<transcript_segment>, delivery_stats)
//          -> dimension_result, or an error.
#include "actors/grading/rubric_engine.hpp"
#include "actors/supervision/fault_injection.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace sof::grading {

struct grader_options {
  std::shared_ptr<const rubric_engine> engine;
  std::shared_ptr<const config::question> question;
  std::string dimension;
  supervision::fault_injector faults;
  uint32_t attempt = 0;  // restarts so far, for reproducible fault plans
  bool detached = true;
};

/// Spawns a grader; its failures reach the caller as request errors.
caf::actor spawn_grader(caf::local_actor* parent, const grader_options& opts);

}  // namespace sof::grading
