#pragma once
// Conversions between the grading core's values and the catalogue messages
// that carry them between actors (and into the journal).
#include "actors/grading/rubric_engine.hpp"
#include "actors/messages/messages.hpp"

namespace sof::grading {

msg::dimension_result to_message(const dimension_score& d);
dimension_score from_message(const msg::dimension_result& m);

/// Transcript lines from final segments (time order).
std::vector<transcript_line>
to_lines(const std::vector<msg::transcript_segment>& segments);

/// The scorecard message: dimensions in rubric order, the verdict.
/// `rel`: the answer's relevance (see decide()); null when not assessed.
msg::scorecard make_scorecard(const config::question& q,
                              const std::vector<msg::dimension_result>& dims,
                              const verdict_options& opts = {},
                              const relevance_result* rel = nullptr);

/// A result that cannot be a grader's honest answer (score out of range,
/// not a number, wrong dimension): treated as a grader failure.
bool plausible(const msg::dimension_result& r, const std::string& dimension);

}  // namespace sof::grading
