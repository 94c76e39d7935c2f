// summarize_coverage: per-point coverage -> per-dimension weights and ids,
// in the question's order, with the rubric as the authority on weights.
#include "actors/grading/live_coverage.hpp"

#include <gtest/gtest.h>

using namespace sof;

namespace {

config::question small_question() {
  config::question q;
  q.id = "q";
  config::dimension_rubric req{"requirements", {}};
  req.points.push_back({"scope", "what is in scope", 3, "requirements", {}, ""});
  req.points.push_back({"numbers", "back of the envelope", 1, "requirements", {}, ""});
  req.points.push_back({"users", "who the users are", 2, "requirements", {}, ""});
  config::dimension_rubric data{"data", {}};
  data.points.push_back({"schema", "the tables", 2, "data", {}, ""});
  config::dimension_rubric comm{"communication", {}};
  q.dimensions = {req, data, comm};
  return q;
}

grading::point_coverage pc(std::string dim, std::string id, bool covered, int weight = 1) {
  grading::point_coverage p;
  p.dimension = std::move(dim);
  p.point_id = std::move(id);
  p.covered = covered;
  p.weight = weight;
  p.score = covered ? 0.8 : 0.2;
  return p;
}

}  // namespace

TEST(live_coverage, weights_and_ids_per_dimension_in_question_order) {
  auto q = small_question();
  // Reported out of order, with a weight that disagrees with the rubric, a
  // point credited to the wrong dimension and a point the rubric lacks.
  std::vector<grading::point_coverage> cov{
    pc("data", "schema", false),         pc("requirements", "users", true, 99),
    pc("requirements", "numbers", false), pc("requirements", "scope", true),
    pc("requirements", "schema", true),  pc("data", "ghost", true),
  };
  auto u = grading::summarize_coverage(q, cov);
  ASSERT_EQ(u.dimensions.size(), 3u);
  EXPECT_EQ(u.dimensions[0].dimension, "requirements");
  EXPECT_EQ(u.dimensions[0].total_weight, 6);
  EXPECT_EQ(u.dimensions[0].covered_weight, 5) << "rubric weights: scope 3 + users 2";
  EXPECT_EQ(u.dimensions[0].points, (std::vector<std::string>{"scope", "users"}))
    << "rubric order";
  EXPECT_EQ(u.dimensions[1].dimension, "data");
  EXPECT_EQ(u.dimensions[1].total_weight, 2);
  EXPECT_EQ(u.dimensions[1].covered_weight, 0) << "schema is covered only under requirements";
  EXPECT_TRUE(u.dimensions[1].points.empty());
  EXPECT_EQ(u.dimensions[2].dimension, "communication");
  EXPECT_EQ(u.dimensions[2].total_weight, 0);
  EXPECT_TRUE(u.dimensions[2].points.empty());
}

TEST(live_coverage, nothing_said_covers_nothing) {
  auto q = small_question();
  auto u = grading::summarize_coverage(q, {});
  ASSERT_EQ(u.dimensions.size(), 3u);
  for (const auto& d : u.dimensions) {
    EXPECT_EQ(d.covered_weight, 0) << d.dimension;
    EXPECT_TRUE(d.points.empty()) << d.dimension;
  }
  EXPECT_EQ(u.dimensions[0].total_weight, 6);
}
