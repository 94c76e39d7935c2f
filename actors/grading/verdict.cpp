#include "actors/grading/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sof::grading {

const char* to_string(dimension_status s) {
  return s == dimension_status::ok ? "ok" : "unavailable";
}

const char* to_string(outcome o) {
  return o == outcome::scale ? "scale" : "fail";
}

double dimension_weight(std::string_view name) {
  // Architecture and reliability carry the most signal in a design interview
  // (does it work, does it keep working); communication is weighted lowest
  // because a fluent answer without substance must not pass.
  if (name == "requirements")
    return 1.5;
  if (name == "architecture")
    return 2.5;
  if (name == "data")
    return 1.5;
  if (name == "scalability")
    return 2.0;
  if (name == "reliability")
    return 2.0;
  if (name == "communication")
    return 1.0;
  return 1.0;
}

std::string advice_for(const missing_point& m) {
  std::string advice = m.point;
  if (!advice.empty())
    advice[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(advice[0])));
  std::string out = "Cover this next time: " + advice + ".";
  if (!m.followup.empty())
    out += " An interviewer would ask: \"" + m.followup + "\"";
  return out;
}

verdict decide(const std::vector<dimension_score>& dims, const verdict_options& opts,
               const relevance_result* rel) {
  verdict v;
  if (rel)
    v.relevance = *rel;
  double sum = 0, weights = 0;
  std::size_t available = 0;
  const dimension_score* weakest = nullptr;
  for (const auto& d : dims) {
    if (d.status == dimension_status::unavailable) {
      v.unavailable.push_back(d.name);
      continue;
    }
    ++available;
    const double w = dimension_weight(d.name);
    sum += w * std::clamp(d.score, 0.0, 10.0);
    weights += w;
    if (!weakest || d.score < weakest->score)
      weakest = &d;
  }
  v.overall = weights > 0 ? std::round(10.0 * sum / weights * 10.0) / 10.0 : 0;
  // Evidence only counts for this question: an answer to another one may
  // cover many generic points, but never more than its relevance allows.
  if (rel) {
    const double cap = opts.relevance_cap_floor + (100.0 - opts.relevance_cap_floor) * rel->score;
    v.overall = std::min(v.overall, std::round(10.0 * cap) / 10.0);
  }

  // Improvements: highest-weight missing points across dimensions, ties
  // broken by the dimension's weight, then by how little was said about it.
  struct cand {
    const dimension_score* d;
    const missing_point* m;
  };
  std::vector<cand> cands;
  for (const auto& d : dims)
    if (d.status == dimension_status::ok)
      for (const auto& m : d.missing)
        cands.push_back({&d, &m});
  std::stable_sort(cands.begin(), cands.end(), [](const cand& a, const cand& b) {
    if (a.m->weight != b.m->weight)
      return a.m->weight > b.m->weight;
    const double wa = dimension_weight(a.d->name), wb = dimension_weight(b.d->name);
    if (wa != wb)
      return wa > wb;
    return a.m->score < b.m->score;
  });
  // At most one improvement per dimension first, so the three are varied.
  std::vector<const dimension_score*> used;
  for (int pass = 0; pass < 2 && v.improvements.size() < 3; ++pass)
    for (const auto& c : cands) {
      if (v.improvements.size() >= 3)
        break;
      bool dim_used = std::find(used.begin(), used.end(), c.d) != used.end();
      bool point_used = std::any_of(v.improvements.begin(), v.improvements.end(),
                                    [&](const improvement& i) {
                                      return i.dimension == c.d->name && i.point_id == c.m->point_id;
                                    });
      if (point_used || (pass == 0 && dim_used))
        continue;
      used.push_back(c.d);
      v.improvements.push_back({c.d->name, c.m->point_id, c.m->weight, advice_for(*c.m)});
    }

  char buf[160];
  if (rel && !rel->relevant) {
    v.reason = rel->reason;
    v.result = outcome::fail;
  } else if (available < opts.min_available) {
    std::snprintf(buf, sizeof buf, "only %zu of %zu dimensions could be graded", available,
                  dims.size());
    v.reason = buf;
    v.result = outcome::fail;
  } else if (v.overall < opts.scale_threshold) {
    std::snprintf(buf, sizeof buf, "overall %.1f is below the Scale threshold %.0f", v.overall,
                  opts.scale_threshold);
    v.reason = buf;
  } else if (weakest && weakest->score < opts.dimension_floor) {
    std::snprintf(buf, sizeof buf, "%s scored %.1f/10, below the floor %.1f", weakest->name.c_str(),
                  weakest->score, opts.dimension_floor);
    v.reason = buf;
  } else {
    std::snprintf(buf, sizeof buf, "overall %.1f meets the Scale threshold %.0f", v.overall,
                  opts.scale_threshold);
    v.reason = buf;
    v.result = outcome::scale;
  }
  if (!v.unavailable.empty())
    v.reason += " (" + std::to_string(v.unavailable.size()) + " unavailable, excluded)";
  return v;
}

}  // namespace sof::grading
