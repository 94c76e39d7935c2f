// eval_grading: grades the validation set (tests/data/grading) and prints,
// per question, each answer's overall score and verdict, the pairwise
// order accuracy (strong > partial > weak > off-topic) and verdict errors.
// Figures go to docs/BENCHMARKS.md ("Grading").
#include "actors/grading/rubric_engine.hpp"
#include "bench/grading/kb_fixture.hpp"
#include "config/questions.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

using namespace sof::grading;

int main(int argc, char** argv) {
  CLI::App app{"Pairwise-order accuracy of the rubric engine on the validation set"};
  std::string index;
  bool verbose = false;
  app.add_option("--index", index, "knowledge-base index dir (default: index the shipped corpus)");
  app.add_flag("-v,--verbose", verbose, "print dimension scores and point coverage");
  engine_options eo;
  app.add_option("--floor", eo.floor, "raw similarity mapped to 0 (calibration)");
  app.add_option("--ceiling", eo.ceiling, "raw similarity mapped to 1 (calibration)");
  app.add_option("--dense-weight", eo.dense_weight, "share of the dense cosine");
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "only the summary");
  CLI11_PARSE(app, argc, argv);

  auto bank = sof::config::question_bank::load();
  if (!bank) {
    std::fprintf(stderr, "question bank: %s\n", sof::describe(bank.error()).c_str());
    return 1;
  }
  auto kb = bench::open_kb(index);
  rubric_engine engine(&kb->query_embedder(), kb_citations(kb), eo);

  std::vector<validation::graded> results;
  int verdict_errors = 0;
  for (const auto& a : validation::load()) {
    const auto* q = bank->find(a.question);
    if (!q) {
      std::fprintf(stderr, "unknown question %s\n", a.question.c_str());
      return 1;
    }
    auto card = engine.grade(*q, transcript_from_text(a.text));
    results.push_back({a, card.result.overall, card.result.result});
    const bool want_scale = a.level == "strong";
    const bool must_fail = a.level == "weak" || a.level == "off-topic";
    const bool wrong = (want_scale && card.result.result != outcome::scale) ||
                       (must_fail && card.result.result != outcome::fail);
    verdict_errors += wrong;
    if (!quiet)
      std::printf("%-28s %-9s overall %5.1f  %-5s%s\n", a.question.c_str(), a.level.c_str(),
                card.result.overall, to_string(card.result.result), wrong ? "  <-- wrong verdict" : "");
    if (verbose && !quiet) {
      for (const auto& d : card.dimensions) {
        std::printf("    %-14s %4.1f ", d.name.c_str(), d.score);
        for (const auto& p : d.points)
          std::printf(" %s=%.2f%s", p.point_id.c_str(), p.score, p.covered ? "*" : "");
        std::printf("\n");
      }
      std::printf("    delivery %.2f (%s)\n", card.delivery.delivery_score,
                  card.dimensions.back().note.c_str());
    }
  }
  std::printf("\n%-28s %s\n", "question", "pairwise order accuracy");
  int correct = 0, pairs = 0;
  for (const auto& [q, s] : validation::pairwise(results)) {
    std::printf("%-28s %d/%d = %.0f%%\n", q.c_str(), s.correct, s.pairs, 100 * s.accuracy());
    correct += s.correct;
    pairs += s.pairs;
  }
  std::printf("%-28s %d/%d = %.1f%%\n", "all", correct, pairs, pairs ? 100.0 * correct / pairs : 0);
  std::printf("verdict errors: %d of %zu answers\n", verdict_errors, results.size());
  return 0;
}
