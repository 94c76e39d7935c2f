#pragma once
// The question bank: config/questions/*.toml loaded into typed values.
// Every file is validated strictly at load (unknown keys, types, ranges,
// cross-references between points and phases) so that a broken question is
// a clear start-up error instead of a silently ungradable interview. The
// graders and the follow-up agent read rubrics only through these types.
#include <caf/expected.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sof::config {

enum class question_track { system_design, project_deep_dive, behavioural };
enum class question_difficulty { easy, medium, hard };

std::string_view to_string(question_track x);
std::string_view to_string(question_difficulty x);
std::optional<question_track> parse_track(std::string_view s);
std::optional<question_difficulty> parse_difficulty(std::string_view s);

/// The rubric dimensions a question of `track` must define, in the order
/// reports show them. System design uses the six grader dimensions.
std::span<const std::string_view> track_dimensions(question_track track);

/// One thing a strong answer covers.
struct rubric_point {
  std::string id;                      // unique within its question
  std::string point;                   // what a strong answer covers
  int weight = 1;                      // 1 (nice to have) .. 3 (essential)
  std::string phase;                   // one of the question's phases
  std::vector<std::string> phrasings;  // candidate speech that evidences it
  std::string followup;                // how an interviewer asks if missing
  /// Optional: terms that show the point in an answer to *any* question
  /// (the generic rubric: "fails over", "retry", "idempotent"). A sentence
  /// naming two of them, and explaining, evidences the point even when it
  /// shares no words with the phrasings, which are about one domain.
  std::vector<std::string> cues;
};

struct dimension_rubric {
  std::string name;
  std::vector<rubric_point> points;

  int total_weight() const;
};

struct question {
  std::string id;
  std::string title;
  std::string prompt;  // what the interviewer says to open the question
  question_track track = question_track::system_design;
  question_difficulty difficulty = question_difficulty::medium;
  int time_limit_minutes = 45;
  std::vector<std::string> phases;          // interview order
  std::vector<dimension_rubric> dimensions;  // in track_dimensions() order
  std::filesystem::path source;             // file it was loaded from
  /// Derived from free text (no hand rubric): the generic rubric plus
  /// points from the question's words and the knowledge base.
  bool derived = false;

  const dimension_rubric* dimension(std::string_view name) const;
  /// Points of every dimension that belong to `phase` (for follow-ups).
  std::vector<const rubric_point*> points_in_phase(std::string_view phase) const;
};

class question_bank {
 public:
  /// Default location: <source>/config/questions.
  static std::filesystem::path default_dir();

  /// Loads and validates every *.toml in `dir`. `generic.toml` (id
  /// "generic") is required and becomes generic(), not a listed question.
  static caf::expected<question_bank> load(const std::filesystem::path& dir
                                           = default_dir());

  /// Parses one question file's text; `origin` names it in errors.
  static caf::expected<question> parse(const std::string& toml_text,
                                       const std::string& origin);

  /// nullptr when no listed question has this id.
  const question* find(std::string_view id) const;

  /// All listed questions, ordered by track, then id.
  const std::vector<question>& all() const {
    return questions_;
  }

  /// Questions matching the given track and difficulty (unset = any).
  std::vector<const question*>
  filter(std::optional<question_track> track,
         std::optional<question_difficulty> difficulty = std::nullopt) const;

  /// Generic system-design rubric for questions that have none of their own
  /// (e.g. `--question-text`): copy it and set the prompt.
  const question& generic() const {
    return generic_;
  }

 private:
  std::vector<question> questions_;
  question generic_;
};

}  // namespace sof::config
