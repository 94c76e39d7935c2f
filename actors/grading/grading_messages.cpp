#include "actors/grading/grading_messages.hpp"

#include <algorithm>
#include <cmath>

namespace sof::grading {

msg::dimension_result to_message(const dimension_score& d) {
  msg::dimension_result m;
  m.dimension = d.name;
  m.status = to_string(d.status);
  m.score = d.score;
  m.note = d.note;
  for (const auto& p : d.points)
    if (p.covered || (p.score > 0 && !p.evidence.empty()))
    {
      msg::evidence_quote e{p.point_id, p.evidence, p.start_ms, p.end_ms, p.score, {}};
      for (const auto& h : p.heard)
        e.heard.push_back({h.heard, h.term, h.how});
      m.evidence.push_back(std::move(e));
    }
  std::sort(m.evidence.begin(), m.evidence.end(),
            [](const auto& a, const auto& b) { return a.score > b.score; });
  for (const auto& x : d.missing)
    m.missing.push_back({x.point_id, x.point, x.followup, x.weight, x.score});
  for (const auto& c : d.citations)
    m.citations.push_back({0.0, c.source, c.heading, c.text, c.attribution});
  return m;
}

dimension_score from_message(const msg::dimension_result& m) {
  dimension_score d;
  d.name = m.dimension;
  d.status = m.status == "unavailable" ? dimension_status::unavailable
                                       : dimension_status::ok;
  d.score = m.score;
  d.note = m.note;
  for (const auto& x : m.missing)
    d.missing.push_back({x.point_id, x.point, x.followup, x.weight, x.score});
  for (const auto& e : m.evidence) {
    point_coverage p;
    p.dimension = m.dimension;
    p.point_id = e.point_id;
    p.score = e.score;
    p.covered = true;
    p.evidence = e.quote;
    p.start_ms = e.start_ms;
    p.end_ms = e.end_ms;
    for (const auto& h : e.heard)
      p.heard.push_back({h.heard, h.term, h.how});
    d.points.push_back(std::move(p));
  }
  for (const auto& c : m.citations)
    d.citations.push_back({c.source, c.heading, c.text, c.attribution});
  return d;
}

std::vector<transcript_line>
to_lines(const std::vector<msg::transcript_segment>& segments) {
  std::vector<transcript_line> out;
  out.reserve(segments.size());
  for (const auto& s : segments)
    if (!s.text.empty())
      // A recogniser's segment names it or has words; a typed one neither.
      out.push_back({s.start_ms, s.end_ms, s.text, !s.recognizer.empty() || !s.words.empty(),
                     s.alternatives});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.start_ms < b.start_ms;
  });
  return out;
}

msg::scorecard make_scorecard(const config::question& q,
                              const std::vector<msg::dimension_result>& dims,
                              const verdict_options& opts,
                              const relevance_result* rel) {
  std::vector<dimension_score> scores;
  for (const auto& m : dims)
    scores.push_back(from_message(m));
  auto v = decide(scores, opts, rel);
  msg::scorecard card;
  card.question_id = q.id;
  card.question_title = q.title;
  card.verdict = to_string(v.result);
  card.overall = v.overall;
  card.reason = v.reason;
  card.dimensions = dims;
  for (const auto& i : v.improvements)
    card.improvements.push_back(i.advice);
  card.unavailable = v.unavailable;
  card.relevance = v.relevance.score;
  card.unmentioned = v.relevance.missing_terms;
  return card;
}

bool plausible(const msg::dimension_result& r, const std::string& dimension) {
  if (r.dimension != dimension)
    return false;
  if (r.status == "unavailable")
    return true;
  return r.status == "ok" && std::isfinite(r.score) && r.score >= 0
         && r.score <= 10;
}

}  // namespace sof::grading
