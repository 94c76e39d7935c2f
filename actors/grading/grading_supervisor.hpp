#pragma once
// The graders' supervisor: runs one grader per rubric dimension in parallel,
// gives each a deadline, restarts a grader that crashed, erred, returned an
// implausible result or missed its deadline (up to `retries` times, with a
// fresh fault plan), reports a dimension it could not get as "unavailable"
// (never a silent zero), and turns the results into the verdict.
//
// Request: (grade_atom, std::vector<transcript_segment>, delivery_stats)
//          -> scorecard
#include "actors/grading/grader_actor.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace sof::grading {

struct grading_options {
  std::shared_ptr<const rubric_engine> engine;
  std::shared_ptr<const config::question> question;
  supervision::fault_injector faults;
  int deadline_ms = 5000;
  int retries = 1;
  bool detached = true;
  caf::actor listener;  // optional: receives provider_restarted for graders
};

caf::actor spawn_grading_supervisor(caf::local_actor* parent,
                                    grading_options opts);

}  // namespace sof::grading
