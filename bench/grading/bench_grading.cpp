// Time to grade one strong answer end to end, transcript given: sentence
// split, embedding, evidence matching for every rubric point of the six
// dimensions, communication analytics, knowledge-base citations and the
// verdict. The knowledge base is indexed once before timing.
//   build-g/bin/bench_grading --benchmark_min_time=2
#include "actors/grading/rubric_engine.hpp"
#include "base/text/wer.hpp"
#include "bench/grading/kb_fixture.hpp"
#include "config/questions.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <benchmark/benchmark.h>

using namespace sof::grading;

namespace {

struct fixture {
  std::shared_ptr<const sof::retrieval::retriever> kb = bench::open_kb("");
  sof::config::question_bank bank = *sof::config::question_bank::load();
  std::vector<validation::answer> answers = validation::load();
};

fixture& fx() {
  static fixture f;
  return f;
}

void grade_strong(benchmark::State& state, const std::string& question, bool with_citations) {
  auto& f = fx();
  const auto* q = f.bank.find(question);
  std::string text;
  for (const auto& a : f.answers)
    if (a.question == question && a.level == "strong" && a.style == "spoken")
      text = a.text;
  if (!q || text.empty()) {
    state.SkipWithError("question or strong answer missing");
    return;
  }
  // As the service grades: relevance against the bank included.
  static const auto topics = std::make_shared<const topic_index>(topic_index::from_bank(
    f.bank, [kb = f.kb](const std::string& t) { return static_cast<double>(kb->idf(t)); }));
  const auto engine = rubric_engine(&f.kb->query_embedder(),
                                    with_citations ? kb_citations(f.kb) : citation_hook{})
                        .with_topics(topics);
  const auto transcript = transcript_from_text(text);
  for (auto _ : state) {
    auto card = engine.grade(*q, transcript);
    benchmark::DoNotOptimize(card.result.overall);
  }
  state.counters["words"] = static_cast<double>(sof::text::count_words(text));
}

}  // namespace

BENCHMARK_CAPTURE(grade_strong, ticketing_with_citations, "ticketing-flash-sale", true)
  ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(grade_strong, ticketing_no_citations, "ticketing-flash-sale", false)
  ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(grade_strong, url_shortener_with_citations, "url-shortener", true)
  ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
