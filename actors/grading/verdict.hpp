#pragma once
// Six dimension scores -> overall 0..100 -> Scale or Fail, plus the three
// improvements that would move the candidate most. Weights and threshold
// are documented in docs/grading.md.
#include "actors/grading/relevance.hpp"
#include "actors/grading/scorecard.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sof::grading {

enum class outcome { scale, fail };

const char* to_string(outcome o);

struct improvement {
  std::string dimension;
  std::string point_id;
  int weight = 1;
  std::string advice;  // phrased as advice to the candidate
};

struct verdict_options {
  /// Overall score (0..100) at or above which the answer is Scale.
  double scale_threshold = 60;
  /// An available dimension below this (0..10) blocks Scale: a design that
  /// ignores failure handling entirely does not pass on its other strengths.
  double dimension_floor = 2.5;
  /// Fewer available dimensions than this cannot earn Scale (too little
  /// evidence was graded); the verdict says so.
  std::size_t min_available = 4;
  /// The overall score is at most floor + (100 - floor) x relevance: an
  /// answer with nothing of the question in it keeps at most this much of
  /// what it covered (so the thin and the off-topic still rank), one at
  /// the fail line (relevance 0.5) at most 55, below the Scale threshold.
  double relevance_cap_floor = 10;
};

struct verdict {
  outcome result = outcome::fail;
  double overall = 0;                    // 0..100 over available dimensions
  std::vector<std::string> unavailable;  // dimensions excluded, by name
  std::vector<improvement> improvements; // at most three
  std::string reason;                    // one line: why scale / fail
  /// Relevance to the question asked (score 1 and no reason when it was
  /// not assessed: no question bank to compare with).
  relevance_result relevance;
};

/// Weight of a dimension in the overall score (unknown names weigh 1, so
/// project and behavioural tracks average their own dimensions evenly).
double dimension_weight(std::string_view name);

/// `rel`, when given, bounds the overall score by the answer's relevance to
/// the question (at most 100 x rel->score) and fails an irrelevant answer
/// with its reason, whatever the dimensions cover.
verdict decide(const std::vector<dimension_score>& dims, const verdict_options& opts = {},
               const relevance_result* rel = nullptr);

/// "Cover X: <followup>" style advice for one missing point.
std::string advice_for(const missing_point& m);

}  // namespace sof::grading
