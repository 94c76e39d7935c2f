#pragma once
// What a session's recogniser is biased towards: the question's prompt, its
// rubric points, the phrasings that evidence them and the interviewer's
// follow-ups (the words this interview will use), plus the knowledge-base
// passages retrieved for its points. Computed on the recogniser's own
// thread (retrieval is not free), cached per content by the provider.
#include "actors/providers/stt/stt_provider.hpp"
#include "config/questions.hpp"

#include <functional>
#include <memory>

namespace sof::grading {
class rubric_engine;
}

namespace sof::session {

/// The bias text of `q` (passages only when `engine` has a knowledge base).
stt::question_bias question_bias_of(const config::question& q,
                                    const grading::rubric_engine* engine);

/// A hint for the recogniser that computes question_bias_of on demand,
/// once: every call (a restarted recogniser) returns the same text.
std::function<stt::question_bias()>
question_bias_source(std::shared_ptr<const config::question> q,
                     std::shared_ptr<const grading::rubric_engine> engine);

}  // namespace sof::session
