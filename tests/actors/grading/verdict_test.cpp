#include "actors/grading/verdict.hpp"

#include <gtest/gtest.h>

using namespace sof::grading;

namespace {

std::vector<dimension_score> six(double score) {
  std::vector<dimension_score> d;
  for (auto name : {"requirements", "architecture", "data", "scalability", "reliability",
                    "communication"}) {
    dimension_score x;
    x.name = name;
    x.score = score;
    d.push_back(x);
  }
  return d;
}

}  // namespace

TEST(grading_verdict, threshold_decides_scale_or_fail) {
  verdict_options o;
  auto above = decide(six(o.scale_threshold / 10.0));
  EXPECT_EQ(above.result, outcome::scale);
  EXPECT_DOUBLE_EQ(above.overall, o.scale_threshold);
  auto below = decide(six(o.scale_threshold / 10.0 - 0.1));
  EXPECT_EQ(below.result, outcome::fail);
  EXPECT_NEAR(below.overall, o.scale_threshold - 1, 1e-9);
}

TEST(grading_verdict, overall_is_the_weighted_mean) {
  auto d = six(5);
  d[1].score = 10;  // architecture weighs 2.5 of 10.5
  auto v = decide(d);
  double expected = 10 * (5 * (10.5 - 2.5) + 10 * 2.5) / 10.5;
  EXPECT_NEAR(v.overall, expected, 0.05);
}

TEST(grading_verdict, unavailable_is_excluded_and_reported_not_zero) {
  auto d = six(8);
  d[4].status = dimension_status::unavailable;
  d[4].score = 0;  // whatever it holds must not count
  auto v = decide(d);
  EXPECT_DOUBLE_EQ(v.overall, 80);
  EXPECT_EQ(v.result, outcome::scale);
  ASSERT_EQ(v.unavailable, std::vector<std::string>{"reliability"});
  EXPECT_NE(v.reason.find("unavailable"), std::string::npos);
}

TEST(grading_verdict, too_few_available_dimensions_cannot_scale) {
  auto d = six(9);
  for (int i = 0; i < 3; ++i)
    d[i].status = dimension_status::unavailable;
  auto v = decide(d);
  EXPECT_EQ(v.result, outcome::fail);
  EXPECT_EQ(v.unavailable.size(), 3u);
  EXPECT_NEAR(v.overall, 90, 1e-9);
}

TEST(grading_verdict, one_empty_dimension_blocks_scale) {
  auto d = six(9);
  d[4].score = 1;  // reliability ignored entirely
  auto v = decide(d);
  EXPECT_GE(v.overall, verdict_options{}.scale_threshold);
  EXPECT_EQ(v.result, outcome::fail);
  EXPECT_NE(v.reason.find("reliability"), std::string::npos);
}

TEST(grading_verdict, top_three_improvements_by_weight_across_dimensions) {
  auto d = six(5);
  d[0].missing = {{"req-a", "States requirements", "Which?", 1, 0.1}};
  d[1].missing = {{"arch-a", "Draws components", "What components?", 3, 0.2},
                  {"arch-b", "Defines APIs", "What API?", 2, 0.0}};
  d[4].missing = {{"rel-a", "Handles retries", "What if it fails?", 3, 0.4}};
  d[5].missing = {{"comm-a", "Summarises", "Summary?", 2, 0.0}};
  auto v = decide(d);
  ASSERT_EQ(v.improvements.size(), 3u);
  EXPECT_EQ(v.improvements[0].point_id, "arch-a");
  EXPECT_EQ(v.improvements[1].point_id, "rel-a");
  // Third: a weight-2 point from a dimension not used yet beats arch-b.
  EXPECT_EQ(v.improvements[2].point_id, "comm-a");
  EXPECT_NE(v.improvements[0].advice.find("draws components"), std::string::npos);
  EXPECT_NE(v.improvements[0].advice.find("What components?"), std::string::npos);
}
