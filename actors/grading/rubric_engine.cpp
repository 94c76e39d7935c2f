#include "actors/grading/rubric_engine.hpp"

#include "base/text/fillers.hpp"
#include "base/text/wer.hpp"
#include "base/text/words.hpp"
#include "retrieval/retriever.hpp"
#include "retrieval/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace sof::grading {

namespace {

std::unordered_set<std::string> stem_set(std::string_view text) {
  auto toks = retrieval::tokenize(text);
  return {toks.begin(), toks.end()};
}

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

// 1 inside [lo_ok, hi_ok], falling linearly to 0 at lo_zero / hi_zero.
double band(double x, double lo_zero, double lo_ok, double hi_ok, double hi_zero) {
  if (x < lo_ok)
    return clamp01((x - lo_zero) / (lo_ok - lo_zero));
  if (x > hi_ok)
    return clamp01((hi_zero - x) / (hi_zero - hi_ok));
  return 1.0;
}

}  // namespace

rubric_engine::rubric_engine(const retrieval::embedder* emb, citation_hook cites,
                             engine_options opts, citation_hook lexical_cites)
  : emb_(emb), cites_(std::move(cites)), opts_(opts),
    lexical_cites_(std::move(lexical_cites)) {
}

rubric_engine rubric_engine::without_embeddings() const {
  return rubric_engine(nullptr, lexical_cites_, opts_, lexical_cites_)
    .with_topics(topics_)
    .with_phonetics(phonetics_);
}

rubric_engine rubric_engine::with_topics(std::shared_ptr<const topic_index> topics) const {
  rubric_engine e = *this;
  e.topics_ = std::move(topics);
  return e;
}

rubric_engine rubric_engine::with_phonetics(std::shared_ptr<const phonetic_index> phonetics) const {
  rubric_engine e = *this;
  e.phonetics_ = std::move(phonetics);
  return e;
}

relevance_result rubric_engine::relevance(const config::question& q,
                                          const std::vector<transcript_line>& transcript) const {
  if (!topics_)
    return {};
  std::string all;
  double said = 0, words = 0;
  for (const auto& l : transcript) {
    all += l.text + "\n";
    const auto n = static_cast<double>(text::count_words(l.text));
    words += n;
    said += l.recognised ? n : 0;
  }
  const double share = words > 0 ? said / words : 0;
  return topics_->assess(q, all, 1.0 - share * (1.0 - opts_.recognised_topic_retention));
}

std::vector<float> rubric_engine::embed(const std::vector<std::string>& texts) const {
  if (!emb_ || texts.empty())
    return {};
  auto v = emb_->embed(texts);
  if (!v)  // a remote embedder that failed: fall back to lexical evidence
    return {};
  // A malformed answer (wrong shape, NaN) is no evidence either.
  if (v->size() % texts.size() != 0
      || !std::all_of(v->begin(), v->end(), [](float x) { return std::isfinite(x); }))
    return {};
  return std::move(*v);
}

void rubric_engine::add_heard_forms(evidence_set::candidate& c,
                                    const std::vector<transcript_line>& transcript) const {
  bool recognised = false;  // any of the candidate's lines was said, not typed
  for (const auto& l : transcript) {
    if (!l.recognised || l.end_ms < c.start_ms || l.start_ms > c.end_ms)
      continue;
    recognised = true;
    if (!l.alternatives.empty())
      add_alternative_words(c, l.alternatives);
  }
  if (recognised)
    c.retention = opts_.recognised_retention;
  if (recognised && phonetics_)
    for (const auto& t : retrieval::tokenize_words(c.text))
      if (t.word.size() >= 3 && !text::is_vague_word(t.word))
        for (const auto& k : phonetics_->keys(t.word))
          c.sounds.emplace(k, t.word);
}

void rubric_engine::add_alternative_words(evidence_set::candidate& c,
                                          const std::vector<std::string>& alternatives) {
  // An n-best text is a whole utterance; a word of it counts for this
  // candidate only where it stands in the candidate's own words: the words
  // on both sides of it (one at an end of the alternative) are the
  // candidate's, around a word the recogniser chose instead. Otherwise a
  // sentence would be credited with what the alternative says elsewhere.
  const auto said = text::normalize_words(c.text);
  auto stands_in_candidate = [&](const std::vector<std::string>& alt, std::size_t i) {
    const std::string* left = i > 0 ? &alt[i - 1] : nullptr;
    const std::string* right = i + 1 < alt.size() ? &alt[i + 1] : nullptr;
    if (!left && !right)
      return false;
    for (std::size_t j = 0; j < said.size(); ++j)
      if (said[j] != alt[i] && (!left || (j > 0 && said[j - 1] == *left))
          && (!right || (j + 1 < said.size() && said[j + 1] == *right)))
        return true;
    return false;
  };
  for (const auto& alternative : alternatives) {
    const auto alt = text::normalize_words(alternative);
    for (std::size_t i = 0; i < alt.size(); ++i) {
      for (auto& t : retrieval::tokenize_words(alt[i]))
        if (!c.stems.contains(t.stem) && !text::is_vague_word(t.word)
            && stands_in_candidate(alt, i))
          c.alternative_stems.emplace(std::move(t.stem), std::move(t.word));
    }
  }
}

evidence_set rubric_engine::prepare(const std::vector<transcript_line>& transcript) const {
  evidence_set ev;
  ev.lines = transcript;
  ev.sentences = split_sentences(transcript);
  // Single sentences, and adjacent pairs: a point is often made across two
  // ("We hold the seat for ten minutes. If payment fails, it goes back.").
  auto add = [&](std::size_t a, std::size_t b) {
    evidence_set::candidate c;
    for (std::size_t i = a; i <= b; ++i)
      c.text += (i == a ? "" : " ") + ev.sentences[i].text;
    c.start_ms = ev.sentences[a].start_ms;
    c.end_ms = ev.sentences[b].end_ms;
    c.stems = stem_set(c.text);
    const bool notes = std::all_of(ev.sentences.begin() + static_cast<std::ptrdiff_t>(a),
                                   ev.sentences.begin() + static_cast<std::ptrdiff_t>(b) + 1,
                                   [](const sentence& s) { return s.notes; });
    c.explanation = notes ? explanation_factor(c.text, opts_.notes_grammar_share,
                                               opts_.notes_no_connective)
                          : explanation_factor(c.text);
    add_heard_forms(c, transcript);
    ev.candidates.push_back(std::move(c));
  };
  for (std::size_t i = 0; i < ev.sentences.size(); ++i) {
    add(i, i);
    if (i + 1 < ev.sentences.size())
      add(i, i + 1);
  }
  std::vector<std::string> texts;
  texts.reserve(ev.candidates.size());
  for (const auto& c : ev.candidates)
    texts.push_back(c.text);
  ev.vectors = embed(texts);
  ev.dims = ev.vectors.empty() ? 0 : ev.vectors.size() / ev.candidates.size();
  return ev;
}

point_coverage rubric_engine::score_point(const std::string& dimension,
                                          const config::rubric_point& p,
                                          const evidence_set& ev) const {
  point_coverage pc;
  pc.dimension = dimension;
  pc.point_id = p.id;
  pc.weight = p.weight;
  std::vector<std::string> targets;
  targets.push_back(p.point);
  targets.insert(targets.end(), p.phrasings.begin(), p.phrasings.end());
  // Each target's content words: stem, the word, and its sound keys
  // (looked up once here, not per candidate).
  struct target_word {
    std::string stem, word;
    std::vector<std::string> keys;
  };
  std::vector<std::vector<target_word>> target_words;
  for (const auto& t : targets) {
    std::vector<target_word> words;
    for (auto& w : retrieval::tokenize_words(t)) {
      if (std::any_of(words.begin(), words.end(), [&](const auto& x) { return x.stem == w.stem; }))
        continue;
      // The word's own pronunciations and its stem's: "holds" (HH OW L D Z)
      // is heard as "whole" through "hold" (HH OW L D).
      std::vector<std::string> keys;
      if (phonetics_) {
        keys = phonetics_->keys(w.word);
        if (w.stem != w.word)
          for (const auto& k : phonetics_->keys(w.stem))
            keys.push_back(k);
      }
      words.push_back({std::move(w.stem), std::move(w.word), std::move(keys)});
    }
    target_words.push_back(std::move(words));
  }
  // Each cue as the stems a sentence must all contain.
  std::vector<std::vector<std::string>> cues;
  for (const auto& c : p.cues)
    if (auto toks = retrieval::tokenize(c); !toks.empty())
      cues.push_back(std::move(toks));
  const auto tv = ev.dims ? embed(targets) : std::vector<float>{};
  const bool dense = ev.dims && tv.size() == targets.size() * ev.dims;
  const double dw = dense ? opts_.dense_weight : 0.0;

  double best = 0;
  const evidence_set::candidate* best_c = nullptr;
  std::vector<heard_match> best_heard;
  for (std::size_t ci = 0; ci < ev.candidates.size(); ++ci) {
    const auto& c = ev.candidates[ci];
    double sim = 0;
    std::vector<heard_match> heard;  // of the target that gave `sim`
    for (std::size_t ti = 0; ti < targets.size(); ++ti) {
      double cosine = 0;
      if (dense) {
        const float* a = ev.vectors.data() + ci * ev.dims;
        const float* b = tv.data() + ti * ev.dims;
        cosine = std::max(0.0, static_cast<double>(std::inner_product(a, a + ev.dims, b, 0.0f)));
      }
      const auto& ts = target_words[ti];
      double shared = 0;
      std::vector<heard_match> found;
      for (const auto& w : ts) {
        if (c.stems.contains(w.stem)) {
          shared += 1;
          continue;
        }
        // Recognised speech: said in a word that sounds like it, or in
        // the recogniser's second guesses. The quote keeps the words as
        // recognised; `heard` says which one counted as which term.
        auto sound = std::find_if(w.keys.begin(), w.keys.end(),
                                  [&](const auto& k) { return c.sounds.contains(k); });
        if (sound != w.keys.end()) {
          shared += opts_.sound_credit;
          found.push_back({c.sounds.at(*sound), w.word, "sound"});
        } else if (auto alt = c.alternative_stems.find(w.stem); alt != c.alternative_stems.end()) {
          shared += opts_.alternative_credit;
          found.push_back({alt->second, w.word, "alternative"});
        }
      }
      // Recall of the target's content words, saturating at five: a
      // phrasing is matched by its key terms, not by every word in it.
      const double lexical =
        ts.empty() ? 0.0 : clamp01(shared / std::min<double>(ts.size(), 5.0));
      if (const double t_sim = dw * cosine + (1.0 - dw) * lexical; t_sim > sim) {
        sim = t_sim;
        heard = std::move(found);
      }
    }
    if (!cues.empty()) {
      std::size_t hits = 0;
      for (const auto& cue : cues)
        hits += std::all_of(cue.begin(), cue.end(),
                            [&](const auto& t) { return c.stems.count(t) > 0; });
      sim = std::max(sim, opts_.cue_similarity
                            * clamp01(static_cast<double>(hits) / opts_.cues_needed));
    }
    // Relevance first, then the explanation discount: a buzzword that names
    // exactly the right thing earns a little credit (and so ranks above
    // talk about something else), but never covers the point on its own.
    sim = std::min(1.0, sim / c.retention);
    const double relevance = clamp01((sim - opts_.floor) / (opts_.ceiling - opts_.floor));
    const double credit = relevance * c.explanation;
    if (credit > best) {
      best = credit;
      best_c = &c;
      best_heard = std::move(heard);
    }
  }
  pc.score = best;
  pc.covered = pc.score >= opts_.covered_threshold;
  if (best_c && pc.score > 0) {
    pc.evidence = best_c->text;
    pc.start_ms = best_c->start_ms;
    pc.end_ms = best_c->end_ms;
    pc.heard = std::move(best_heard);
  }
  return pc;
}

std::vector<citation>
rubric_engine::citations_for(const std::vector<const config::rubric_point*>& pts) const {
  std::vector<citation> out;
  if (!cites_)
    return out;
  for (const auto* p : pts) {
    if (out.size() >= opts_.citations_per_dimension)
      break;
    // The best-supported passage among the first few, not merely the
    // first: a search hit can share a word with the point and be about
    // something else ("Graphite: clustering" for a rate limiter's tier).
    std::vector<citation> fresh;  // hits not cited yet in this dimension
    for (auto& c : cites_(p->point, topics_ ? opts_.citation_candidates : 2))
      if (std::none_of(out.begin(), out.end(), [&](const citation& x) {
            return x.source == c.source && x.heading == c.heading;
          }))
        fresh.push_back(std::move(c));
    if (auto best = best_citation(*p, fresh))
      out.push_back(std::move(fresh[*best]));
  }
  return out;
}

namespace {

// A point's description and phrasings, and a passage's heading and text, as
// idf-weighted term vectors: what citation support compares.
term_vector point_terms(const config::rubric_point& p, const term_specificity& spec) {
  std::string point = p.point;
  for (const auto& ph : p.phrasings)
    point += "\n" + ph;
  return weigh_terms(point, spec);
}

term_vector passage_terms(const citation& c, const term_specificity& spec) {
  return weigh_terms(c.heading + "\n" + c.text, spec);
}

}  // namespace

double rubric_engine::citation_support(const config::rubric_point& p, const citation& c) const {
  if (!topics_)
    return -1;
  const auto& spec = topics_->specificity();
  return point_terms(p, spec).dot(passage_terms(c, spec));
}

std::optional<std::size_t>
rubric_engine::best_citation(const config::rubric_point& p,
                             const std::vector<citation>& candidates) const {
  if (candidates.empty())
    return std::nullopt;
  if (!topics_)  // nothing to judge support with: the first
    return 0;
  const auto& spec = topics_->specificity();
  const auto point = point_terms(p, spec);  // once, not per candidate
  std::optional<std::size_t> best;
  double best_support = opts_.citation_min_support;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (const double s = point.dot(passage_terms(candidates[i], spec)); s >= best_support) {
      best_support = s;
      best = i;
    }
  return best;
}

std::vector<citation> rubric_engine::passages_for(const config::question& q,
                                                 std::size_t per_point) const {
  std::vector<citation> out;
  if (!cites_ || per_point == 0)
    return out;
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      std::size_t taken = 0;
      for (auto& c : cites_(p.point, per_point + 1)) {
        if (taken == per_point)
          break;
        bool dup = std::any_of(out.begin(), out.end(), [&](const citation& x) {
          return x.source == c.source && x.heading == c.heading
                 && x.text == c.text;
        });
        if (!dup) {
          out.push_back(std::move(c));
          ++taken;
        }
      }
    }
  return out;
}

delivery_summary rubric_engine::summarize_delivery(const evidence_set& ev,
                                                   const msg::delivery_stats& d) const {
  delivery_summary s;
  std::string all;
  std::size_t words = 0;
  for (const auto& l : ev.lines) {
    all += l.text + " ";
    words += text::count_words(l.text);
  }
  s.words = d.words > 0 ? d.words : words;
  if (d.words_per_minute > 0) {
    s.words_per_minute = d.words_per_minute;
  } else if (!ev.lines.empty()) {
    // No audio analytics (text input): pace from the transcript's own times.
    int64_t speaking_ms = 0;
    for (const auto& l : ev.lines)
      speaking_ms += std::max<int64_t>(0, l.end_ms - l.start_ms);
    if (speaking_ms > 0)
      s.words_per_minute = static_cast<double>(words) * 60000.0 / static_cast<double>(speaking_ms);
  }
  s.longest_pause_seconds = d.longest_pause_seconds;
  for (std::size_t i = 1; i < ev.lines.size(); ++i)
    s.longest_pause_seconds = std::max(
      s.longest_pause_seconds, static_cast<double>(ev.lines[i].start_ms - ev.lines[i - 1].end_ms) / 1000.0);
  s.fillers = text::total_fillers(text::count_fillers(all));  // the list the candidate is shown
  s.fillers_per_100_words = s.words ? 100.0 * static_cast<double>(s.fillers) / static_cast<double>(s.words) : 0;
  s.structure_markers = structure_markers(all);

  // Conversational interview pace is ~110-170 wpm; far outside it the
  // interviewer either waits or cannot follow.
  s.pace_score = s.words_per_minute > 0 ? band(s.words_per_minute, 50, 110, 170, 230) : 0.5;
  s.filler_score = s.words ? clamp01((8.0 - s.fillers_per_100_words) / (8.0 - 1.5)) : 0;
  s.pause_score = ev.lines.empty() ? 0 : clamp01((20.0 - s.longest_pause_seconds) / (20.0 - 4.0));
  s.structure_score = clamp01(static_cast<double>(s.structure_markers.size()) / 4.0);
  s.delivery_score =
    0.3 * s.pace_score + 0.25 * s.filler_score + 0.15 * s.pause_score + 0.3 * s.structure_score;
  return s;
}

double rubric_engine::content_coverage(const config::question& q, const evidence_set& ev) const {
  double sum = 0, w = 0;
  for (const auto& d : q.dimensions) {
    if (d.name == "communication")
      continue;
    for (const auto& p : d.points) {
      sum += p.weight * score_point(d.name, p, ev).score;
      w += p.weight;
    }
  }
  return w > 0 ? sum / w : 0;
}

dimension_score rubric_engine::grade_dimension(const config::question& q,
                                               const config::dimension_rubric& dim,
                                               const evidence_set& ev,
                                               const msg::delivery_stats& delivery) const {
  dimension_score ds;
  ds.name = dim.name;
  double sum = 0, w = 0;
  for (const auto& p : dim.points) {
    auto pc = score_point(dim.name, p, ev);
    sum += p.weight * pc.score;
    w += p.weight;
    if (!pc.covered)
      ds.missing.push_back({p.id, p.point, p.followup, p.weight, pc.score});
    ds.points.push_back(std::move(pc));
  }
  std::stable_sort(ds.missing.begin(), ds.missing.end(), [](const auto& a, const auto& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.score < b.score;
  });
  const double rubric = w > 0 ? sum / w : 0;
  ds.score = 10.0 * rubric;

  if (dim.name == "communication") {
    auto s = summarize_delivery(ev, delivery);
    const double gate = clamp01(content_coverage(q, ev) / opts_.delivery_content_gate);
    const double share = dim.points.empty() ? 0.0 : opts_.communication_rubric_share;
    ds.score = 10.0 * (share * rubric + (1.0 - share) * s.delivery_score * gate);
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "%.0f wpm, %zu fillers (%.1f per 100 words), longest pause %.1f s, "
                  "%zu structure markers",
                  s.words_per_minute, s.fillers, s.fillers_per_100_words, s.longest_pause_seconds,
                  s.structure_markers.size());
    ds.note = buf;
  }
  ds.score = std::round(ds.score * 10.0) / 10.0;

  // What good looks like: the knowledge base on the most important missing
  // points, or on the most important points when nothing is missing.
  std::vector<const config::rubric_point*> pts;
  for (const auto& m : ds.missing)
    for (const auto& p : dim.points)
      if (p.id == m.point_id)
        pts.push_back(&p);
  if (pts.empty()) {
    for (const auto& p : dim.points)
      pts.push_back(&p);
    std::stable_sort(pts.begin(), pts.end(),
                     [](const auto* a, const auto* b) { return a->weight > b->weight; });
  }
  ds.citations = citations_for(pts);
  return ds;
}

scorecard rubric_engine::grade(const config::question& q,
                               const std::vector<transcript_line>& transcript,
                               const msg::delivery_stats& delivery,
                               const verdict_options& vopts) const {
  scorecard card;
  const auto ev = prepare(transcript);
  for (const auto& d : q.dimensions)
    card.dimensions.push_back(grade_dimension(q, d, ev, delivery));
  card.delivery = summarize_delivery(ev, delivery);
  const auto rel = relevance(q, transcript);
  card.result = decide(card.dimensions, vopts, topics_ ? &rel : nullptr);
  return card;
}

std::string excerpt(const std::string& text, std::size_t max_sentences, std::size_t max_chars) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size() && out.size() < max_chars; ++i) {
    out += text[i];
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') &&
        (i + 1 == text.size() || text[i + 1] == ' ') && ++n >= max_sentences)
      break;
  }
  if (out.size() >= max_chars) {
    auto cut = out.rfind(' ');
    out = out.substr(0, cut == std::string::npos ? max_chars : cut) + " ...";
  }
  return retrieval::squash_whitespace(out);
}

citation_hook kb_citations(std::shared_ptr<const retrieval::retriever> kb, bool lexical) {
  return [kb = std::move(kb), lexical](const std::string& query, std::size_t k) {
    std::vector<citation> out;
    auto hits = kb->search(query, k,
                           lexical ? retrieval::search_mode::bm25 : retrieval::search_mode::hybrid);
    if (!hits)
      return out;
    for (const auto& h : *hits)
      out.push_back({h.doc.source, h.doc.heading, excerpt(h.doc.text), h.doc.attribution});
    return out;
  };
}

std::shared_ptr<const rubric_engine> kb_engine(std::shared_ptr<const retrieval::retriever> kb,
                                               engine_options opts) {
  return std::make_shared<const rubric_engine>(&kb->query_embedder(), kb_citations(kb), opts,
                                               kb_citations(kb, true));
}

std::shared_ptr<const rubric_engine> kb_engine(std::shared_ptr<const retrieval::retriever> kb,
                                               const config::question_bank& bank,
                                               engine_options opts) {
  auto topics = std::make_shared<const topic_index>(topic_index::from_bank(
    bank, [kb](const std::string& t) { return static_cast<double>(kb->idf(t)); }));
  return std::make_shared<const rubric_engine>(
    kb_engine(std::move(kb), opts)->with_topics(std::move(topics)));
}

}  // namespace sof::grading
