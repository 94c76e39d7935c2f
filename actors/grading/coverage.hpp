#pragma once
// What the rubric engine found in a transcript for each rubric point, and the
// transcript form it reads. Shared by the grading core (which produces
// coverage) and the follow-up policy (which asks about what is missing).
#include <cstdint>
#include <string>
#include <vector>

namespace sof::grading {

/// One final transcript segment (times in ms from the start of the session).
struct transcript_line {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string text;
  /// Said and recognised, not typed: its words may be mis-heard, so a
  /// rubric term is also looked for by sound and in `alternatives`.
  bool recognised = false;
  std::vector<std::string> alternatives;  // the recogniser's n-best texts
  /// A statement of written notes (a bullet, in its heading's context):
  /// terse by form, so not read as a list of buzzwords for lacking
  /// function words (engine_options::notes_grammar_share).
  bool notes = false;
};

/// A rubric term found in other words than the recognised one.
struct heard_match {
  std::string heard;  // the recognised word, or the alternative's word
  std::string term;   // the rubric's word it counted as
  std::string how;    // "sound" | "alternative"
  bool operator==(const heard_match&) const = default;
};

struct point_coverage {
  std::string dimension;  // e.g. "reliability"
  std::string point_id;   // rubric_point::id
  int weight = 1;         // copied from the rubric (1..3)
  double score = 0;       // 0..1: how well the transcript evidences it
  bool covered = false;   // score above the engine's threshold
  std::string evidence;   // the candidate's own words that evidence it
  int64_t start_ms = 0;   // where the evidence was said
  int64_t end_ms = 0;
  std::vector<heard_match> heard;  // terms of the evidence matched by sound or n-best
};

using coverage = std::vector<point_coverage>;

}  // namespace sof::grading
