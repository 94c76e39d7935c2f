#include "actors/grading/live_coverage.hpp"

#include <set>
#include <utility>

namespace sof::grading {

coverage cover(const rubric_engine& engine, const config::question& q,
               const evidence_set& ev) {
  coverage out;
  for (const auto& dim : q.dimensions)
    for (const auto& p : dim.points)
      out.push_back(engine.score_point(dim.name, p, ev));
  return out;
}

msg::coverage_update summarize_coverage(const config::question& q,
                                        std::span<const point_coverage> cov) {
  // Point ids are unique within a question, but the pair is the key the
  // engine reports, so a point cannot be credited to the wrong dimension.
  std::set<std::pair<std::string, std::string>> covered;
  for (const auto& c : cov)
    if (c.covered)
      covered.emplace(c.dimension, c.point_id);
  msg::coverage_update out;
  out.dimensions.reserve(q.dimensions.size());
  for (const auto& dim : q.dimensions) {
    msg::dimension_coverage d;
    d.dimension = dim.name;
    d.total_weight = dim.total_weight();
    for (const auto& p : dim.points)
      if (covered.count({dim.name, p.id})) {
        d.covered_weight += p.weight;
        d.points.push_back(p.id);
      }
    out.dimensions.push_back(std::move(d));
  }
  return out;
}

}  // namespace sof::grading
