#pragma once
// Six dimension scores -> overall 0..100 -> Scale or Fail, plus the three
// improvements that would move the candidate most. Weights and threshold
// are documented in docs/grading.md.
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
};

struct verdict {
  outcome result = outcome::fail;
  double overall = 0;                    // 0..100 over available dimensions
  std::vector<std::string> unavailable;  // dimensions excluded, by name
  std::vector<improvement> improvements; // at most three
  std::string reason;                    // one line: why scale / fail
};

/// Weight of a dimension in the overall score (unknown names weigh 1, so
/// project and behavioural tracks average their own dimensions evenly).
double dimension_weight(std::string_view name);

verdict decide(const std::vector<dimension_score>& dims, const verdict_options& opts = {});

/// "Cover X: <followup>" style advice for one missing point.
std::string advice_for(const missing_point& m);

}  // namespace sof::grading
