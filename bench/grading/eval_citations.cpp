// eval_citations: do the scorecard's citations support their points?
//
//   eval_citations --dump FILE    the passages the knowledge base offers for
//                                 every rubric point of the bank (the first
//                                 three hits), to be labelled by hand
//   eval_citations --labels FILE  precision of the citations the engine
//                                 keeps (support >= citation_min_support)
//                                 against the labels, calibration questions
//                                 and the others apart, and the first-hit
//                                 rule it replaced
//
// Labels: tests/data/grading/citations/labels.json, written by a reader who
// saw the point and the passage only. Figures: docs/BENCHMARKS.md.
#include "actors/grading/rubric_engine.hpp"
#include "bench/grading/kb_fixture.hpp"
#include "config/questions.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

using namespace sof::grading;

namespace {

struct tally {
  int kept = 0, kept_relevant = 0, first = 0, first_relevant = 0, relevant = 0,
      relevant_kept = 0, points = 0, points_without = 0, rightly_without = 0;
};

void print(const char* name, const tally& t) {
  auto pct = [](int a, int b) { return b ? 100.0 * a / b : 0.0; };
  std::printf("%-12s points %3d | first hit: %d/%d relevant (%.0f%%) | kept: %d/%d relevant "
              "(%.0f%%), %d points left without a citation | points with a supporting passage "
              "that keep one: %d/%d | right decisions %d/%d (%.0f%%; first hit %.0f%%)\n",
              name, t.points, t.first_relevant, t.first, pct(t.first_relevant, t.first),
              t.kept_relevant, t.kept, pct(t.kept_relevant, t.kept), t.points_without,
              t.relevant_kept, t.relevant, t.kept_relevant + t.rightly_without, t.points,
              pct(t.kept_relevant + t.rightly_without, t.points), pct(t.first_relevant, t.points));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Citation relevance: dump candidates or score them against labels"};
  std::string index, dump, labels;
  engine_options eo;
  app.add_option("--index", index, "knowledge-base index dir (default: index the shipped corpus)");
  app.add_option("--dump", dump, "write the candidate citations of every bank point");
  app.add_option("--labels", labels, "labelled candidates to score");
  app.add_option("--min-support", eo.citation_min_support, "support a kept citation needs");
  CLI11_PARSE(app, argc, argv);
  if (dump.empty() == labels.empty()) {
    std::fprintf(stderr, "give one of --dump FILE or --labels FILE\n");
    return 2;
  }
  auto bank = sof::config::question_bank::load();
  if (!bank) {
    std::fprintf(stderr, "question bank: %s\n", sof::describe(bank.error()).c_str());
    return 1;
  }
  auto kb = bench::open_kb(index);
  auto engine = kb_engine(kb, *bank, eo);
  auto hook = kb_citations(kb);

  if (!dump.empty()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto* q : bank->filter(sof::config::question_track::system_design))
      for (const auto& d : q->dimensions)
        for (const auto& p : d.points) {
          int rank = 0;
          for (const auto& c : hook(p.point, 3))
            out.push_back({{"question", q->id}, {"dimension", d.name}, {"point_id", p.id},
                           {"point", p.point}, {"rank", rank++}, {"source", c.source},
                           {"heading", c.heading}, {"excerpt", c.text}});
        }
    std::ofstream f(dump);
    f << out.dump(2) << '\n';
    std::printf("%zu candidates written to %s\n", out.size(), dump.c_str());
    return f ? 0 : 1;
  }

  std::ifstream in(labels);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", labels.c_str());
    return 1;
  }
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_array()) {
    std::fprintf(stderr, "%s: not a JSON array of labelled candidates\n", labels.c_str());
    return 1;
  }
  std::set<std::string> calibration;
  for (const auto& a : validation::load())
    calibration.insert(a.question);
  // Group the candidates by point, in rank order, as the engine sees them.
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<nlohmann::json>> by_point;
  for (const auto& c : j)
    by_point[{c.at("question"), c.at("dimension"), c.at("point_id")}].push_back(c);
  tally cal, val;
  for (auto& [key, cands] : by_point) {
    const auto& [qid, dim, pid] = key;
    const auto* q = bank->find(qid);
    const auto* d = q ? q->dimension(dim) : nullptr;
    const sof::config::rubric_point* p = nullptr;
    if (d)
      for (const auto& x : d->points)
        if (x.id == pid)
          p = &x;
    if (!p) {
      std::fprintf(stderr, "unknown point %s/%s/%s (the bank changed?)\n", qid.c_str(),
                   dim.c_str(), pid.c_str());
      return 1;
    }
    auto& t = calibration.count(qid) ? cal : val;
    ++t.points;
    std::sort(cands.begin(), cands.end(),
              [](const auto& a, const auto& b) { return a.at("rank") < b.at("rank"); });
    ++t.first;
    t.first_relevant += cands.front().at("supports").get<bool>();
    bool any = false;
    std::vector<citation> cits;
    for (const auto& c : cands) {
      any = any || c.at("supports").get<bool>();
      cits.push_back({c.at("source"), c.at("heading"), c.at("excerpt"), ""});
    }
    const auto best = engine->best_citation(*p, cits);
    const nlohmann::json* kept = best ? &cands[*best] : nullptr;
    t.relevant += any;
    if (!kept) {
      ++t.points_without;
      t.rightly_without += !any;  // nothing there supported it either
      continue;
    }
    ++t.kept;
    t.kept_relevant += kept->at("supports").get<bool>();
    t.relevant_kept += any && kept->at("supports").get<bool>();
  }
  print("calibration", cal);
  print("validation", val);
  return 0;
}
