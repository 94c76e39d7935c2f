// Time to grade one strong answer end to end, transcript given: sentence
// split, embedding, evidence matching for every rubric point of the six
// dimensions, communication analytics, knowledge-base citations and the
// verdict. The knowledge base is indexed once before timing. The spoken
// case grades the same words as recognised speech: every rubric word also
// looked for by sound (the recogniser's dictionaries) and in two n-best
// alternatives per line, and the expected recognition losses applied.
//   build-g/bin/bench_grading --benchmark_min_time=2
#include "actors/grading/phonetic.hpp"
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

// The recogniser's dictionaries, loaded once (as `sof serve` does at start).
std::shared_ptr<const phonetic_index> phonetics() {
  static const auto index = [] {
    const auto dicts = bench::recogniser_dictionaries();
    auto ph = phonetic_index::load({dicts.begin(), dicts.end()});
    return ph ? std::make_shared<const phonetic_index>(std::move(*ph)) : nullptr;
  }();
  return index;
}

// Two second guesses per line: the line without its every fifth word, and
// without its every seventh (the shape of an n-best list: near copies).
std::vector<std::string> near_copies(const std::string& line) {
  std::vector<std::string> out;
  for (std::size_t every : {5u, 7u}) {
    std::string alt;
    std::size_t i = 0;
    for (const auto& w : sof::text::normalize_words(line))
      if (++i % every)
        alt += (alt.empty() ? "" : " ") + w;
    out.push_back(std::move(alt));
  }
  return out;
}

void grade_strong(benchmark::State& state, const std::string& question, bool with_citations,
                  bool spoken = false) {
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
  auto engine = rubric_engine(&f.kb->query_embedder(),
                              with_citations ? kb_citations(f.kb) : citation_hook{})
                  .with_topics(topics);
  auto transcript = transcript_from_text(text);
  if (spoken) {
    if (!phonetics()) {
      state.SkipWithError("the recogniser's dictionaries are missing");
      return;
    }
    engine = engine.with_phonetics(phonetics());
    for (auto& l : transcript) {
      l.recognised = true;
      l.alternatives = near_copies(l.text);
    }
  }
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
BENCHMARK_CAPTURE(grade_strong, ticketing_spoken_with_citations, "ticketing-flash-sale", true, true)
  ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
