#pragma once
// Is this an answer to the question asked? The rubric measures how much of
// a design an answer explains; most of that vocabulary (caches, replicas,
// queues) is shared by every system-design question, so a strong answer to
// another question covers many points of this one. Relevance compares the
// answer with the *specific* terms of this question (weighted by idf over
// the knowledge base: "seat" and "geohash" count, "database" hardly) and
// with every other question of the bank, and bounds the overall score:
//
//   auto topics = topic_index::from_bank(bank, [&](auto& t) { return kb->idf(t); });
//   auto r = topics.assess(question, answer_text);
//   if (!r.relevant) ... r.reason  // "reads as an answer to 'Design ...'"
//
// Pure and immutable: no actors, no I/O; assess() is const and thread safe.

#include "config/questions.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sof::grading {

/// How specific a (tokenized) term is: the knowledge base's idf.
using term_specificity = std::function<double(const std::string& term)>;

/// A weighted bag of tokenized terms, unit length (or empty).
struct term_vector {
  std::unordered_map<std::string, double> weights;

  double dot(const term_vector& other) const;
  bool empty() const { return weights.empty(); }
};

/// What a question is about.
struct topic {
  std::string id;
  std::string title;
  term_vector terms;   // prompt (x3), title, the question's own rubric text
  term_vector prompt;  // the prompt alone: recognises the same question
  /// Written by hand (the bank) or derived from the text alone (ad hoc).
  /// An ad-hoc topic is compared with the other questions' prompts only:
  /// a long hand rubric shares more words with any answer than a prompt.
  bool hand_rubric = true;
  /// The prompt's terms, most specific first, with a word that shows each
  /// ("ticket" for the term "ticket", "drivers" for "driver").
  std::vector<std::pair<std::string, std::string>> key_terms;
};

/// The topic of `q`. Points shared with `generic` (the generic rubric an
/// ad-hoc question copies) say nothing about this question and are left out.
topic make_topic(const config::question& q, const term_specificity& spec,
                 const config::question* generic = nullptr);

/// Sublinear term frequency x specificity, unit length.
term_vector weigh_terms(std::string_view text, const term_specificity& spec);

struct relevance_options {
  /// Cosine with the question's topic at or below `on_topic_floor` shares
  /// nothing specific with it; at `on_topic_full` it is clearly about it.
  /// Chosen in the middle of the gap on the calibration set: on-topic
  /// strong and partial answers 0.35-0.76, strong answers to another
  /// question 0.10-0.24 (docs/grading.md, "Relevance").
  double on_topic_floor = 0.22;
  double on_topic_full = 0.36;
  /// The same for an ad-hoc question, whose topic is its prompt. On
  /// calibration on-topic strong and partial answers match 0.13-0.62 and
  /// answers to another question 0.00-0.12: barely a gap (terse notes name
  /// few of the prompt's words), so this check is weak on its own; an
  /// answer to a bank question also fails on the margin below.
  double prompt_floor = 0.08;
  double prompt_full = 0.16;
  /// on-topic / best other question: at or below `margin_floor` the answer
  /// fits another question clearly better.
  double margin_floor = 0.55;
  /// Prompts at least this alike are the same question asked twice (an
  /// ad-hoc "Design a URL shortener" and the bank's): not a contrast.
  /// (Different bank prompts match at most 0.13; "Design a service that
  /// turns long links into short ones" matches the URL shortener's 0.39.)
  double same_question = 0.25;
  /// Relevance below this fails the answer whatever it covers.
  double fail_below = 0.5;
  /// Key terms reported as never said.
  std::size_t missing_terms = 4;
};

struct relevance_result {
  double score = 1;       // 0..1; the overall score is at most 100 x score
  double on_topic = 0;    // cosine with this question's topic
  double best_other = 0;  // cosine with the closest other question
  std::string best_other_id;
  std::string best_other_title;
  /// The question's most specific words the answer never used.
  std::vector<std::string> missing_terms;
  bool relevant = true;
  std::string reason;  // why not, in the candidate's terms (empty if relevant)
};

class topic_index {
 public:
  topic_index(std::vector<topic> contrast, term_specificity spec,
              relevance_options opts = {});

  /// Every system-design question of the bank as a contrast.
  static topic_index from_bank(const config::question_bank& bank,
                               term_specificity spec,
                               relevance_options opts = {});

  /// `retention`: the share of the topic match recognition errors leave
  /// (1 for typed text); the absolute check reads the match divided by it,
  /// the margin against other questions is a ratio and needs no correction.
  relevance_result assess(const config::question& q, std::string_view answer,
                          double retention = 1.0) const;
  relevance_result assess(const topic& t, std::string_view answer,
                          double retention = 1.0) const;

  /// The topic `assess` uses for `q` (an ad-hoc question loses the
  /// generic rubric's points).
  topic topic_of(const config::question& q) const;

  const relevance_options& options() const { return opts_; }
  const term_specificity& specificity() const { return spec_; }
  const std::vector<topic>& contrast() const { return contrast_; }

 private:
  std::vector<topic> contrast_;
  term_specificity spec_;
  relevance_options opts_;
  std::shared_ptr<const config::question> generic_;
  std::unordered_set<std::string> boilerplate_;  // prompt words of many questions
};

}  // namespace sof::grading
