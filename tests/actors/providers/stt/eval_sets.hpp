#pragma once
// The speech-to-text evaluation sets (stt_eval, docs/stt.md). Each set is a
// list of SESSIONS, one per speaker, decoded in order with the adaptive
// state carried from utterance to utterance as in a live interview.
//
// VALIDATION (judge changes on these, never tune on them):
//   read                 ../shared/speech/*.wav (librivox = one session)
//   conv                 ../shared/speech/conversational/ (its scoring rule)
//   sd-VOICE[-noisy]     tests/data/stt/validation_sentences.txt
// CALIBRATION (tune on these):
//   calib-VOICE[-noisy]  tests/data/stt/system_design_sentences.txt
//   extra-read           pocketsphinx-testdata: librivox 0920/0930, cards 2-5
// QUESTION ANSWERS (question-biased recognition):
//   answers-QID-VOICE[-noisy]  tests/data/grading/QID/strong.txt
//   partial-QID-VOICE[-noisy]  tests/data/grading/QID/partial.txt
// VOICE: kal16, slt, awb, rms (flite). -noisy: see eval_audio.hpp.
#include "base/text/wer.hpp"
#include "tests/actors/providers/stt/eval_audio.hpp"
#include "tests/actors/providers/stt/stt_test_support.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace sof::stt::testing {

/// How hypotheses are compared with references.
enum class scoring {
  plain,           // text::word_error_rate (case and punctuation ignored)
  conversational,  // plain, after removing hesitation words from the hypothesis
};

struct eval_session {
  std::string speaker;
  std::vector<labelled_audio> utterances;  // in file order
};

struct eval_set {
  std::string name;
  std::string group;  // "validation", "calibration" or "answers"
  scoring score = scoring::plain;
  std::vector<eval_session> sessions;
  std::size_t utterance_count() const;
};

/// Thrown when a set's data is not installed (e.g. pocketsphinx-testdata):
/// the caller reports and skips the set instead of failing the run.
struct set_unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Expands a comma-separated list of set names and groups ("validation",
/// "calibration", "answers", "all" = validation + calibration) into set
/// names, in a stable order without duplicates. Throws on an unknown name.
std::vector<std::string> expand_set_names(const std::string& list);

/// Loads (synthesizes, degrades; cached) the named set. Throws
/// set_unavailable if its data is missing, std::runtime_error otherwise.
eval_set load_set(const std::string& name);

/// Question ids with tests/data/grading/QID/strong.txt, sorted.
std::vector<std::string> answer_question_ids();
/// Question ids of the grading validation set's bank answers
/// (tests/data/grading/validation/bank/QID/strong-spoken.txt), sorted.
std::vector<std::string> validation_answer_ids();

/// The strong answer to `question_id` split into sentences (lower case,
/// punctuation stripped, numbers as written), one utterance each, spoken by
/// `voice`, clean or degraded: one session. Set name answers-QID-VOICE[-noisy].
/// kind "partial": tests/data/grading/QID/partial.txt, set partial-QID-...
/// (an answer that shares far less wording with the rubric than the
/// strong one: the fairer test of question biasing).
eval_set answer_set(const std::string& question_id, const std::string& voice,
                    bool degraded, const std::string& kind = "strong");

/// The answer in the text file `path` spoken by `voice` under `c`, one
/// utterance per sentence, as set `name` of `group` (answer_set, and the
/// grading validation answers val-KIND-QID-VOICE[-noisy]).
eval_set spoken_answer(const std::string& name, const std::string& group, const std::string& path,
                       const std::string& voice, condition c);

/// `text` as sentences of normalised words (split at . ? ! and newlines).
std::vector<std::string> split_sentences(const std::string& text);

/// The conversational convention's hesitation words removed from `hyp`.
std::string strip_hesitations(const std::string& hyp);

/// Word error counts of one utterance under `rule`.
text::wer_result score_utterance(scoring rule, const std::string& reference,
                                 const std::string& hypothesis);

}  // namespace sof::stt::testing
