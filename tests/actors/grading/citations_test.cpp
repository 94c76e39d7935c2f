// Citations support their points or are left out (labelled candidates in
// tests/data/grading/citations/, judged blind of the engine).
#include "tests/actors/grading/grading_fixture.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

using namespace sof::grading;

TEST(grading_citations, every_kept_citation_supports_a_point_of_its_dimension) {
  const auto& e = test::judging_engine();
  const auto* q = test::bank().find("url-shortener");
  auto card = e.grade(*q, transcript_from_text(
    "I would put a cache in front of the database because reads dominate."));
  std::size_t kept = 0;
  for (const auto& d : card.dimensions) {
    const auto* rubric = q->dimension(d.name);
    ASSERT_NE(rubric, nullptr);
    for (const auto& c : d.citations) {
      ++kept;
      double best = 0;
      for (const auto& p : rubric->points)
        best = std::max(best, e.citation_support(p, c));
      EXPECT_GE(best, e.options().citation_min_support) << d.name << ": " << c.heading;
    }
  }
  EXPECT_GT(kept, 0u);  // the knowledge base does cover URL shortening
  // Without topics to weigh terms there is no support to judge.
  EXPECT_LT(test::engine().citation_support(q->dimensions[0].points[0], {}), 0);
}

TEST(grading_citations, the_engine_beats_the_first_hit_on_labelled_calibration_points) {
  std::ifstream in(validation::data_dir() + "/citations/labels.json");
  ASSERT_TRUE(in);
  auto labels = nlohmann::json::parse(in);
  std::set<std::string> calibration;
  for (const auto& a : validation::load())
    calibration.insert(a.question);
  std::map<std::string, std::vector<nlohmann::json>> by_point;
  for (const auto& c : labels)
    if (calibration.count(c.at("question")))
      by_point[c.at("question").get<std::string>() + "/" + c.at("point_id").get<std::string>()]
        .push_back(c);
  ASSERT_GE(by_point.size(), 100u);
  const auto& e = test::judging_engine();
  int right = 0, first_right = 0;
  for (const auto& [key, cands] : by_point) {
    const auto& qid = cands.front().at("question").get<std::string>();
    const auto* q = test::bank().find(qid);
    const auto* d = q->dimension(cands.front().at("dimension").get<std::string>());
    const sof::config::rubric_point* p = nullptr;
    for (const auto& x : d->points)
      if (x.id == cands.front().at("point_id"))
        p = &x;
    ASSERT_NE(p, nullptr) << key;
    bool any = false;
    std::vector<citation> cits;
    for (const auto& c : cands) {
      any = any || c.at("supports").get<bool>();
      if (c.at("rank") == 0)
        first_right += c.at("supports").get<bool>();
      cits.push_back({c.at("source"), c.at("heading"), c.at("excerpt"), ""});
    }
    const auto best = e.best_citation(*p, cits);
    const nlohmann::json* kept = best ? &cands[*best] : nullptr;
    right += kept ? kept->at("supports").get<bool>() : !any;
  }
  // Measured: 72 % right decisions against 12 % for the first hit.
  EXPECT_GE(right, first_right + static_cast<int>(by_point.size()) / 2)
    << right << " vs first hit " << first_right << " of " << by_point.size();
}
