#include "actors/grading/relevance.hpp"
#include "retrieval/text.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace sof::grading {

namespace {

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

void add_text(std::unordered_map<std::string, double>& tf, std::string_view text,
              double times) {
  for (auto& t : retrieval::tokenize(text))
    tf[t] += times;
}

term_vector finish(const std::unordered_map<std::string, double>& tf,
                   const term_specificity& spec) {
  term_vector v;
  double norm = 0;
  for (const auto& [t, n] : tf) {
    // Sublinear: a rubric that repeats "cache" in ten phrasings, or an
    // answer that says it ten times, is not ten times about caching.
    const double w = (1.0 + std::log(n)) * std::max(0.0, spec(t));
    if (w <= 0)
      continue;
    v.weights.emplace(t, w);
    norm += w * w;
  }
  norm = std::sqrt(norm);
  for (auto& [_, w] : v.weights)
    w /= norm;
  return v;
}

bool generic_point(const config::rubric_point& p, const config::question* generic) {
  if (!generic)
    return false;
  for (const auto& d : generic->dimensions)
    for (const auto& g : d.points)
      if (g.id == p.id && g.point == p.point)
        return true;
  return false;
}

}  // namespace

double term_vector::dot(const term_vector& other) const {
  const auto& small = weights.size() <= other.weights.size() ? weights : other.weights;
  const auto& large = weights.size() <= other.weights.size() ? other.weights : weights;
  double s = 0;
  for (const auto& [t, w] : small)
    if (auto it = large.find(t); it != large.end())
      s += w * it->second;
  return s;
}

term_vector weigh_terms(std::string_view text, const term_specificity& spec) {
  std::unordered_map<std::string, double> tf;
  add_text(tf, text, 1.0);
  return finish(tf, spec);
}

topic make_topic(const config::question& q, const term_specificity& spec,
                 const config::question* generic) {
  topic t;
  t.id = q.id;
  t.title = q.title;
  std::unordered_map<std::string, double> tf, prompt_tf;
  // The prompt says what the question is; the rubric says what an answer
  // to it talks about. Counted three times, the prompt's own words stay
  // prominent against a long rubric.
  add_text(tf, q.prompt, 3.0);
  add_text(tf, q.title, 1.0);
  add_text(prompt_tf, q.prompt, 1.0);
  for (const auto& d : q.dimensions)
    for (const auto& p : d.points) {
      if (generic_point(p, generic))
        continue;
      add_text(tf, p.point, 1.0);
      for (const auto& ph : p.phrasings)
        add_text(tf, ph, 1.0);
    }
  t.terms = finish(tf, spec);
  t.hand_rubric = !q.derived;
  t.prompt = finish(prompt_tf, spec);

  // Key terms with a word to show for each: the prompt's own spelling.
  std::unordered_map<std::string, std::string> shown;
  std::string word;
  auto flush = [&] {
    if (word.empty())
      return;
    auto toks = retrieval::tokenize(word);
    if (toks.size() == 1)
      shown.emplace(toks[0], word);
    word.clear();
  };
  for (char c : q.prompt) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-')
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else
      flush();
  }
  flush();
  for (const auto& [term, w] : t.prompt.weights)
    if (auto it = shown.find(term); it != shown.end())
      t.key_terms.emplace_back(term, it->second);
  std::sort(t.key_terms.begin(), t.key_terms.end(), [&](const auto& a, const auto& b) {
    const double wa = t.prompt.weights.at(a.first), wb = t.prompt.weights.at(b.first);
    return wa != wb ? wa > wb : a.first < b.first;
  });
  return t;
}

topic_index::topic_index(std::vector<topic> contrast, term_specificity spec,
                         relevance_options opts)
  : contrast_(std::move(contrast)), spec_(std::move(spec)), opts_(opts) {
}

topic_index topic_index::from_bank(const config::question_bank& bank,
                                   term_specificity spec, relevance_options opts) {
  std::vector<topic> contrast;
  for (const auto* q : bank.filter(config::question_track::system_design))
    contrast.push_back(make_topic(*q, spec));
  // Words many prompts use ("design", "build") say nothing about which
  // question an answer is missing.
  std::unordered_map<std::string, int> df;
  for (const auto& t : contrast)
    for (const auto& [term, _] : t.prompt.weights)
      ++df[term];
  topic_index index(std::move(contrast), std::move(spec), opts);
  for (const auto& [term, n] : df)
    if (4 * n >= static_cast<int>(index.contrast_.size()))  // a quarter of them
      index.boilerplate_.insert(term);
  index.generic_ = std::make_shared<const config::question>(bank.generic());
  return index;
}

topic topic_index::topic_of(const config::question& q) const {
  return make_topic(q, spec_, generic_.get());
}

relevance_result topic_index::assess(const config::question& q, std::string_view answer,
                                     double retention) const {
  return assess(topic_of(q), answer, retention);
}

relevance_result topic_index::assess(const topic& t, std::string_view answer,
                                     double retention) const {
  assert(retention > 0 && retention <= 1);
  relevance_result r;
  const auto a = weigh_terms(answer, spec_);
  // Like with like: hand rubrics against hand rubrics, an ad-hoc prompt
  // against the other questions' prompts.
  const bool full = t.hand_rubric;
  r.on_topic = a.dot(full ? t.terms : t.prompt);
  for (const auto& o : contrast_) {
    // The question itself, or the same question asked in other words.
    if (o.id == t.id || o.prompt.dot(t.prompt) >= opts_.same_question)
      continue;
    const double s = a.dot(full ? o.terms : o.prompt);
    if (s > r.best_other) {
      r.best_other = s;
      r.best_other_id = o.id;
      r.best_other_title = o.title;
    }
  }
  for (const auto& [term, shown] : t.key_terms) {
    if (r.missing_terms.size() >= opts_.missing_terms)
      break;
    if (!a.weights.contains(term) && !boilerplate_.contains(term))
      r.missing_terms.push_back(shown);
  }

  const double lo = full ? opts_.on_topic_floor : opts_.prompt_floor;
  const double hi = full ? opts_.on_topic_full : opts_.prompt_full;
  const double absolute = clamp01((r.on_topic / retention - lo) / (hi - lo));
  const double margin = r.best_other > r.on_topic ? r.on_topic / r.best_other : 1.0;
  const double relative = clamp01((margin - opts_.margin_floor) / (1.0 - opts_.margin_floor));
  r.score = std::min(absolute, relative);
  r.relevant = r.score >= opts_.fail_below;
  if (r.relevant)
    return r;

  std::string missing;
  for (std::size_t i = 0; i < r.missing_terms.size(); ++i)
    missing += (i ? ", " : "") + r.missing_terms[i];
  char buf[128];
  // Naming the question the answer fits better says more than a score.
  // (Only when that match is itself real: talk about a mobile app is not
  // an answer to the one question that mentions an app.)
  if (r.best_other > r.on_topic && r.best_other >= lo && !r.best_other_title.empty()) {
    std::snprintf(buf, sizeof buf, " (topic match %.2f, against %.2f for this question)",
                  r.best_other, r.on_topic);
    r.reason = "the answer reads as an answer to another question, \""
               + r.best_other_title + "\"" + buf;
  } else {
    std::snprintf(buf, sizeof buf, " (topic match %.2f)", r.on_topic);
    r.reason = std::string("the answer says little about this question") + buf;
  }
  if (!missing.empty())
    r.reason += "; never mentioned: " + missing;
  return r;
}

}  // namespace sof::grading
