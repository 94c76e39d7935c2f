#pragma once
// The deterministic rubric engine (no LLM, no actors): finds evidence for
// every rubric point of a question in a transcript and turns coverage into
// dimension scores, missing points, knowledge-base citations and a verdict.
//
//   auto kb = sof::retrieval::retriever::open(dir);
//   sof::grading::rubric_engine engine(&(*kb)->query_embedder(),
//                                      sof::grading::kb_citations(*kb));
//   auto card = engine.grade(question, transcript, delivery);
//
// Evidence is semantic: each sentence (and each pair of adjacent sentences)
// is compared with the point's description and its phrasings by dense
// cosine similarity in the knowledge base's LSA space combined with
// stemmed content-word overlap, then discounted when it reads as a bare
// list of buzzwords. See docs/grading.md for the numbers and why.
//
// Thread safety: a rubric_engine is immutable; grade() and
// grade_dimension() are const and may run concurrently (the six grader
// actors share one), provided the embedder and the hook are thread safe.
#include "actors/grading/coverage.hpp"
#include "actors/grading/phonetic.hpp"
#include "actors/grading/scorecard.hpp"
#include "actors/grading/sentences.hpp"
#include "actors/grading/verdict.hpp"
#include "actors/messages/messages.hpp"
#include "config/questions.hpp"
#include "retrieval/embedder.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sof::retrieval {
class retriever;
}

namespace sof::grading {

struct engine_options {
  /// Share of the dense cosine in a sentence/point similarity; the rest is
  /// content-word overlap. Dense finds paraphrases, overlap keeps specific
  /// terms ("base62", "idempotency key") from being smoothed away.
  double dense_weight = 0.6;
  /// Raw similarity at or below `floor` is no evidence; at `ceiling` it is
  /// full evidence. Calibrated on the validation set (docs/grading.md).
  double floor = 0.30;
  double ceiling = 0.80;
  /// Cues (config::rubric_point::cues): a sentence naming `cues_needed`
  /// distinct cues has this raw similarity (fewer: in proportion).
  double cue_similarity = 0.9;
  double cues_needed = 1.25;
  /// A point is covered when its score reaches this.
  double covered_threshold = 0.5;
  std::size_t citations_per_dimension = 3;
  /// A citation whose support for its point is below this is left out
  /// (see citation_support; chosen on labelled calibration citations,
  /// docs/grading.md "Citations").
  double citation_min_support = 0.15;
  /// Passages asked of the knowledge base per point before filtering.
  std::size_t citation_candidates = 3;
  /// Communication: share of its own rubric points; the rest is delivery.
  double communication_rubric_share = 0.6;
  /// Delivery only counts in full once the answer covers this much of the
  /// question's content: fluent talk about something else is not good
  /// communication of a design.
  double delivery_content_gate = 0.35;
  /// Recognised speech only: a rubric word the candidate was heard to say
  /// as a word that sounds like it ("whole" for "hold"), or that is in the
  /// recogniser's n-best alternatives of the utterance, counts as this much
  /// of saying it. Priors, not fitted: half the evidence of the word itself
  /// (docs/grading.md "Recognition errors").
  double sound_credit = 0.5;
  double alternative_credit = 0.5;
  /// Recognised speech only: the share of a said point's similarity that
  /// survives recognition errors; the similarity is divided by it (1:
  /// graded as typed). And the same for the answer's match with its
  /// question's topic (relevance.hpp), by the share of words said. Chosen
  /// on the calibration answers spoken clean and degraded (docs/grading.md
  /// "Recognition errors"); [grading] sets them per deployment.
  double recognised_retention = 0.9;
  double recognised_topic_retention = 0.65;
  /// Statements of written notes (transcript_line::notes): the share of
  /// function words at which one reads as an explanation, and the factor
  /// without a connective (prose: 0.30, 0.75; sentences.hpp). A bullet is
  /// terse by form: chosen on the calibration notes so that they grade
  /// like the same content spoken (docs/grading.md "Notes").
  double notes_grammar_share = 0.10;
  double notes_no_connective = 1.0;
};

/// A transcript prepared once for grading: sentences, candidate evidence
/// windows, their embeddings and stems. Shared by all dimensions.
struct evidence_set {
  struct candidate {
    std::string text;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    std::unordered_set<std::string> stems;
    double explanation = 0;  // explanation_factor(text)
    // Recognised speech only: the sound keys of its content words (key ->
    // the word as recognised), and stems the n-best alternatives of its
    // utterances have and it lacks (stem -> the alternative's word).
    std::unordered_map<std::string, std::string> sounds;
    std::unordered_map<std::string, std::string> alternative_stems;
    double retention = 1.0;  // engine_options::recognised_retention when said
  };
  std::vector<transcript_line> lines;
  std::vector<sentence> sentences;
  std::vector<candidate> candidates;
  std::vector<float> vectors;  // candidates.size() x dims, unit rows (or 0)
  std::size_t dims = 0;
};

struct scorecard {
  std::vector<dimension_score> dimensions;
  delivery_summary delivery;
  verdict result;
};

class rubric_engine {
 public:
  /// `emb` may be null (lexical evidence only, for tests of the fallback);
  /// `cites` may be empty (no citations). `lexical_cites` is what citations
  /// fall back to when embeddings are unavailable (BM25 only, no embedder).
  explicit rubric_engine(const retrieval::embedder* emb, citation_hook cites = {},
                         engine_options opts = {}, citation_hook lexical_cites = {});

  /// The same engine without embeddings: lexical evidence and the lexical
  /// citations. A grader uses it when the embedder failed, so a broken
  /// embedding service degrades a grade instead of failing it.
  rubric_engine without_embeddings() const;

  /// The same engine judging relevance against `topics` (the question
  /// bank): an answer to another question is bounded and fails.
  rubric_engine with_topics(std::shared_ptr<const topic_index> topics) const;

  /// The same engine matching rubric words by sound in recognised speech,
  /// through the recogniser's pronunciation dictionaries.
  rubric_engine with_phonetics(std::shared_ptr<const phonetic_index> phonetics) const;
  const phonetic_index* phonetics() const { return phonetics_.get(); }
  const topic_index* topics() const { return topics_.get(); }

  /// The answer's relevance to `q`; score 1 when there are no topics.
  relevance_result relevance(const config::question& q,
                             const std::vector<transcript_line>& transcript) const;

  evidence_set prepare(const std::vector<transcript_line>& transcript) const;

  /// Grades one dimension of `q` (the grader actors call this).
  dimension_score grade_dimension(const config::question& q, const config::dimension_rubric& dim,
                                  const evidence_set& ev,
                                  const msg::delivery_stats& delivery = {}) const;

  /// Every dimension of `q` plus the verdict.
  scorecard grade(const config::question& q, const std::vector<transcript_line>& transcript,
                  const msg::delivery_stats& delivery = {},
                  const verdict_options& vopts = {}) const;

  /// Scores one rubric point against the evidence.
  point_coverage score_point(const std::string& dimension, const config::rubric_point& p,
                             const evidence_set& ev) const;

  delivery_summary summarize_delivery(const evidence_set& ev,
                                      const msg::delivery_stats& delivery) const;

  const engine_options& options() const { return opts_; }

  /// How well `c` supports point `p`: idf-weighted cosine between the
  /// point (its description and phrasings) and the passage (heading and
  /// excerpt). -1 when there are no topics to weigh terms with.
  double citation_support(const config::rubric_point& p, const citation& c) const;

  /// The candidate a point cites: the best supported among `candidates`
  /// with support of at least citation_min_support (the last of equals),
  /// or none. Without topics, the first. The one rule citations_for,
  /// eval_citations and the tests apply.
  std::optional<std::size_t> best_citation(const config::rubric_point& p,
                                           const std::vector<citation>& candidates) const;

  /// Knowledge-base passages for the points of `q` (up to `per_point`
  /// each, no passage twice): what an answer to this question talks
  /// about. Empty without a knowledge base. Used to bias recognition.
  std::vector<citation> passages_for(const config::question& q,
                                     std::size_t per_point = 1) const;

 private:
  std::vector<float> embed(const std::vector<std::string>& texts) const;
  void add_heard_forms(evidence_set::candidate& c,
                       const std::vector<transcript_line>& transcript) const;
  static void add_alternative_words(evidence_set::candidate& c,
                                    const std::vector<std::string>& alternatives);
  double content_coverage(const config::question& q, const evidence_set& ev) const;
  std::vector<citation> citations_for(const std::vector<const config::rubric_point*>& pts) const;

  const retrieval::embedder* emb_;
  citation_hook cites_;
  engine_options opts_;
  citation_hook lexical_cites_;
  std::shared_ptr<const topic_index> topics_;
  std::shared_ptr<const phonetic_index> phonetics_;
};

/// A citation hook over an open retriever (hybrid search, excerpts cut to a
/// few sentences). The retriever must outlive the hook. With `lexical`, BM25
/// only: no embedding is computed (the fallback when embeddings fail).
citation_hook kb_citations(std::shared_ptr<const retrieval::retriever> kb,
                           bool lexical = false);

/// The engine every command grades with: the knowledge base's embedder,
/// hybrid citations, and BM25-only citations as the fallback when
/// embeddings fail. The retriever must outlive the engine.
std::shared_ptr<const rubric_engine> kb_engine(std::shared_ptr<const retrieval::retriever> kb,
                                               engine_options opts = {});
/// The same, judging relevance against the system-design questions of
/// `bank` with the knowledge base's idf as term specificity.
std::shared_ptr<const rubric_engine> kb_engine(std::shared_ptr<const retrieval::retriever> kb,
                                               const config::question_bank& bank,
                                               engine_options opts = {});

/// First `max_sentences` sentences of `text`, at most `max_chars` long.
std::string excerpt(const std::string& text, std::size_t max_sentences = 3,
                    std::size_t max_chars = 400);

}  // namespace sof::grading
