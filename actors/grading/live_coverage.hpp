#pragma once
// Live rubric coverage: what the transcript so far covers of each rubric
// dimension, for the candidate's screen while the interview runs. Pure
// functions over the rubric engine's per-point coverage; the coverage actor
// (coverage_actor.hpp) and the follow-up agent call them.
#include "actors/grading/coverage.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "actors/messages/messages.hpp"
#include "config/questions.hpp"

#include <span>

namespace sof::grading {

/// Coverage of every rubric point of `q` over `ev`, in rubric order.
coverage cover(const rubric_engine& engine, const config::question& q,
               const evidence_set& ev);

/// One entry per dimension of `q`, in the question's order: the weight of
/// its covered points, the weight of all its points, and the covered point
/// ids in rubric order. Weights come from the rubric; entries of `cov` that
/// name no point of `q` are ignored, and a point missing from `cov` counts
/// as not covered.
msg::coverage_update summarize_coverage(const config::question& q,
                                        std::span<const point_coverage> cov);

}  // namespace sof::grading
