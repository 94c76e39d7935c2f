#pragma once
// What grading produces: one result per rubric dimension, the delivery
// analytics behind the communication score, and the verdict. Plain values,
// so grader actors can send them and the CLI can print them as JSON.
#include "actors/grading/coverage.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sof::grading {

/// A knowledge-base passage saying what good looks like.
struct citation {
  std::string source;
  std::string heading;
  std::string text;  // excerpt, cut to a few sentences
  std::string attribution;
};

/// How the engine asks the knowledge base; the actor layer routes it to the
/// retrieval actor, tests pass a retriever or a fake.
using citation_hook =
  std::function<std::vector<citation>(const std::string& query, std::size_t k)>;

enum class dimension_status { ok, unavailable };

const char* to_string(dimension_status s);

struct missing_point {
  std::string point_id;
  std::string point;     // what a strong answer covers
  std::string followup;  // how an interviewer would ask
  int weight = 1;
  double score = 0;      // partial credit found (below the covered threshold)
};

struct dimension_score {
  std::string name;
  dimension_status status = dimension_status::ok;
  double score = 0;        // 0..10; meaningless when unavailable
  coverage points;         // one entry per rubric point
  std::vector<missing_point> missing;  // uncovered, highest weight first
  std::vector<citation> citations;
  std::string note;        // why unavailable, or a delivery summary
};

/// Delivery analytics the communication dimension is scored on.
struct delivery_summary {
  double words_per_minute = 0;
  std::size_t words = 0;
  std::size_t fillers = 0;
  double fillers_per_100_words = 0;
  double longest_pause_seconds = 0;
  std::vector<std::string> structure_markers;
  double pace_score = 0;       // 0..1 each
  double filler_score = 0;
  double pause_score = 0;
  double structure_score = 0;
  double delivery_score = 0;   // weighted mix of the four
};

}  // namespace sof::grading
