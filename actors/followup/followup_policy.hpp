#pragma once
// The interviewer's decision at each end of the candidate's turn: ask about
// the most important uncovered rubric point, encourage a candidate who is
// covering ground, nudge after silence or "I'm not sure", move to wrap-up
// when time runs low, close past the limit. Pure and deterministic (no
// clock, no randomness, no actors): the follow_up actor owns one
// followup_session and maps end-of-turn messages onto it, and the same
// inputs always give the same decision, so a journal replays exactly.
#include "actors/grading/coverage.hpp"
#include "config/questions.hpp"

#include <optional>
#include <set>
#include <span>
#include <caf/error.hpp>

#include <string>
#include <string_view>

namespace sof::followup {

enum class action {
  ask,        // a question about one rubric point
  encourage,  // a short prompt to continue; no new topic
  wrap_up,    // time is short: ask for the summary
  close,      // past the time limit (or nothing left after wrap-up)
  none,       // say nothing; let the candidate carry on
};

std::string_view to_string(action a);

/// Checks a decision that crossed an actor boundary before it is shown or
/// spoken: a known action, and text that is short, valid UTF-8 with no
/// control characters. A malformed one (a broken agent) is an error value.
caf::error validate_decision(std::string_view act, const std::string& text);

struct decision {
  action act = action::none;
  std::string text;      // what the interviewer says ("" for none)
  std::string point_id;  // the rubric point asked about, if any
  std::string phase;     // the interview phase the decision was made in
  std::string reason;    // snake_case cause, for logs and tests
};

/// How the candidate delivered the last turn (from capture's analytics).
struct delivery_signals {
  double silence_s = 0;            // silence that ended the turn
  std::optional<int> words;        // words in the turn; counted if unset
};

/// What the interviewer remembers between turns. followup_session keeps it;
/// callers of decide() that hold their own state fill it themselves.
struct interview_memory {
  std::set<std::string> asked_points;     // rubric point ids asked
  std::set<std::string> asked_texts;      // normalize()d texts said
  std::set<std::string> used_hooks;       // "You mentioned X." phrases said
  std::set<std::string> covered_before;   // point ids covered before the turn
  int phase_floor = 0;                    // phases never go back
  std::string last_point_id;              // point of the previous question
  int quiet_turns = 0;                    // encourage/none since last ask
  bool wrap_up_asked = false;
  bool closed = false;
};

struct turn_context {
  double elapsed_s = 0;  // since the question was put
  std::span<const grading::point_coverage> coverage;
  std::span<const grading::transcript_line> last_turn;
  delivery_signals delivery;
  const interview_memory* memory = nullptr;  // nullptr: a fresh interview
};

struct policy_settings {
  double wrap_up_window_s = 300;  // "about five minutes left"
  // ...but never more than this share of a short question's time, or a
  // 10-minute behavioural question would be half wrap-up.
  double wrap_up_max_fraction = 0.15;
  int few_words = 3;               // at most this many words is silence
  int unsure_max_words = 30;       // a longer turn is an answer, hedged
  int flowing_new_points = 2;      // newly covered points to not interrupt
  int flowing_quiet_new_points = 3;  // ...to say nothing at all
  int max_quiet_turns = 1;         // then ask anyway, so it stays a dialogue
  double last_question_min_s = 120;  // no new topic with less time than this
};

/// Phase index of the interview now: time moves it proportionally over the
/// question's phases; a phase whose essential (top-weight) points are all
/// covered is left early; never below memory.phase_floor.
size_t current_phase(const config::question& q, const turn_context& ctx);

/// The decision for this end of turn. Does not change any state.
decision decide(const config::question& q, const turn_context& ctx,
                const policy_settings& s = {});

/// The stateful convenience the actor holds: decide, then remember what was
/// asked, the phase reached and what was covered.
class followup_session {
 public:
  explicit followup_session(const config::question& q,
                            policy_settings s = {});

  decision on_turn(double elapsed_s,
                   std::span<const grading::point_coverage> coverage,
                   std::span<const grading::transcript_line> last_turn,
                   delivery_signals delivery = {});

  const interview_memory& memory() const {
    return memory_;
  }

 private:
  const config::question* q_;
  policy_settings settings_;
  interview_memory memory_;
};

}  // namespace sof::followup
