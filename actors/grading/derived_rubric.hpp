#pragma once
// Rubrics for questions nobody wrote one for (`--question-text`, `sof
// questions --derive`). The generic rubric says what any design answer
// covers; on its own it grades generic vocabulary. A derived rubric adds
// what is specific to *this* question:
//   - the question's own asks, one point per clause of its text ("riders
//     request a ride", "nearby drivers are matched");
//   - knowledge-base passages retrieved for it, kept and weighted by how
//     specific they are to the question (idf-weighted overlap with its
//     text) rather than to system design in general.
// Pure: the knowledge base comes in as a citation hook and an idf function.

#include "actors/grading/relevance.hpp"
#include "actors/grading/scorecard.hpp"
#include "config/questions.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sof::grading {

struct derive_options {
  /// Points made from the question's own clauses (architecture).
  std::size_t clause_points = 3;
  /// Knowledge-base passages considered per dimension, and kept at most.
  std::size_t kb_candidates = 4;
  std::size_t kb_points = 2;
  /// A passage whose idf-weighted overlap with the question is below this
  /// is about system design in general, not this question: left out.
  double kb_min_specificity = 0.05;
  /// At or above this a passage point weighs 2, otherwise 1.
  double kb_strong_specificity = 0.15;
};

/// The clauses of a question that ask for something: its sentences split
/// at ':' ';' and ", and", minus instructions to the candidate ("How would
/// you build it?") and clauses with fewer than two content words.
std::vector<std::string> question_clauses(std::string_view text);

/// A gradable question for `text`: `generic` with the prompt set, plus the
/// clause points and the specific knowledge-base points. Without `spec`
/// every retrieved passage counts (weight 2), as before relevance existed.
config::question question_from_text(const std::string& text, const config::question& generic,
                                    const citation_hook& hook,
                                    const term_specificity& spec = {},
                                    const derive_options& opts = {});

}  // namespace sof::grading
