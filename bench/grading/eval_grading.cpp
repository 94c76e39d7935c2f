// eval_grading: how fair the verdicts are, on the calibration set (what the
// settings were chosen on) and the validation set (never tuned on), kept
// apart. Per set: every answer's overall score and verdict; pairwise order
// (strong > partial > weak > off-topic, within each question's own set of
// answers); verdict errors;
// every strong answer graded against every *other* question of its set
// (must Fail and stay below the on-topic strong answers); and questions
// asked ad hoc (no hand rubric: graded from the question text and the
// knowledge base). Figures go to docs/BENCHMARKS.md ("Grading").
#include "actors/grading/derived_rubric.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "config/settings.hpp"
#include "bench/grading/kb_fixture.hpp"
#include "config/questions.hpp"
#include "tests/actors/grading/validation_set.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

using namespace sof::grading;
namespace v = sof::grading::validation;

namespace {

struct tally {
  int answers = 0, verdict_errors = 0;
  int other = 0, other_failed = 0, other_below = 0;
  double other_max = 0;
  int adhoc_strong = 0, adhoc_strong_scale = 0;
  int correct = 0, pairs = 0;
};

struct run {
  const rubric_engine& engine;
  const sof::config::question_bank& bank;
  bool verbose, quiet, read_notes;

  scorecard grade(const sof::config::question& q, const v::answer& a) const {
    return engine.grade(q, transcript_from_text(a.text, 150, 300, read_notes));
  }

  void print(const std::string& q, const v::answer& a, const scorecard& c, bool wrong) const {
    if (quiet)
      return;
    std::printf("  %-22s %-8s %-6s overall %5.1f %-5s rel %.2f%s\n", q.c_str(), a.level.c_str(),
                a.style.c_str(), c.result.overall, to_string(c.result.result),
                c.result.relevance.score, wrong ? "  <-- wrong verdict" : "");
    if (verbose) {
      for (const auto& d : c.dimensions) {
        std::printf("      %-14s %4.1f ", d.name.c_str(), d.score);
        for (const auto& p : d.points)
          std::printf(" %s=%.2f%s", p.point_id.c_str(), p.score, p.covered ? "*" : "");
        std::printf("\n");
      }
      const auto& r = c.result.relevance;
      std::printf("      relevance on %.3f, closest other %.3f (%s)%s%s\n", r.on_topic,
                  r.best_other, r.best_other_id.c_str(), r.reason.empty() ? "" : ": ",
                  r.reason.c_str());
    }
  }

  // Grades `answers` on `question_of(answer)`; then every strong answer on
  // every other question of the set.
  template <class QuestionOf>
  tally evaluate(const std::vector<v::answer>& answers, QuestionOf question_of) const {
    tally t;
    std::vector<v::graded> results;
    std::map<std::string, double> weakest_strong;
    std::map<std::string, sof::config::question> questions;
    for (const auto& a : answers) {
      auto [it, fresh] = questions.try_emplace(a.question);
      if (fresh)
        it->second = question_of(a);
      auto card = grade(it->second, a);
      const bool want_scale = a.level == "strong";
      const bool must_fail = a.level == "weak" || a.level == "off-topic";
      const bool wrong = (want_scale && card.result.result != outcome::scale)
                         || (must_fail && card.result.result != outcome::fail);
      ++t.answers;
      t.verdict_errors += wrong;
      if (want_scale) {
        auto& w = weakest_strong.try_emplace(a.question, 1e9).first->second;
        w = std::min(w, card.result.overall);
      }
      print(a.question, a, card, wrong);
      results.push_back({a, card.result.overall, card.result.result});
    }
    if (!quiet)
      std::printf("  -- strong answers graded on the other questions of the set\n");
    for (const auto& a : answers) {
      if (a.level != "strong")
        continue;
      for (const auto& [id, q] : questions) {
        if (id == a.question)
          continue;
        auto card = grade(q, a);
        ++t.other;
        t.other_failed += card.result.result == outcome::fail;
        t.other_below += card.result.overall < weakest_strong[id];
        t.other_max = std::max(t.other_max, card.result.overall);
        v::answer as_other = a;
        as_other.question = id;
        as_other.level = "off-topic";
        if (verbose || card.result.result != outcome::fail)
          print(id + " <- " + a.question, as_other, card, card.result.result != outcome::fail);
      }
    }
    for (const auto& [q, s] : v::pairwise(results)) {
      t.correct += s.correct;
      t.pairs += s.pairs;
    }
    return t;
  }
};

void summary(const char* set, const char* what, const tally& t, bool markdown) {
  if (markdown) {
    std::printf("| %s | %s | %d | %d/%d | %d | %d/%d | %d/%d | %.1f |\n", set, what, t.answers,
                t.correct, t.pairs, t.verdict_errors, t.other_failed, t.other, t.other_below,
                t.other, t.other_max);
    return;
  }
  std::printf("%s, %s: %d answers, pairs in order %d/%d (%.1f%%), verdict errors %d; "
              "answers to another question: %d/%d Fail, %d/%d below the on-topic strong "
              "answers, highest %.1f\n\n",
              set, what, t.answers, t.correct, t.pairs,
              t.pairs ? 100.0 * t.correct / t.pairs : 0.0, t.verdict_errors, t.other_failed,
              t.other, t.other_below, t.other, t.other_max);
}

// `--spoken DIR`: the transcripts `stt_eval --transcripts DIR` wrote
// (answers-QID-VOICE[-noisy].txt, partial-...) graded against the typed
// answer they were spoken from: the typed-minus-spoken gap per voice.
// The questions of each set's answers: the calibration set's and the
// validation set's bank questions.
std::vector<std::string> question_ids(const sof::config::question_bank& bank,
                                      const std::vector<v::answer>& answers) {
  std::vector<std::string> ids;
  for (const auto& a : answers)
    if (bank.find(a.question) && std::find(ids.begin(), ids.end(), a.question) == ids.end())
      ids.push_back(a.question);
  return ids;
}

int spoken_gap(const run& r0, const std::string& dir) {
  const auto& engine = r0.engine;
  const auto& bank = r0.bank;
  namespace fs = std::filesystem;
  struct row {
    std::string set, condition, kind;
    bool strong;
    double typed, spoken;
    outcome typed_v, spoken_v;
  };
  const auto calibration_ids = question_ids(bank, v::load());
  const auto validation_ids = question_ids(bank, v::load_validation("bank"));
  std::vector<row> rows;
  struct {
    int graded = 0, failed = 0;
    double highest = 0;
  } off;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string name = f.stem().string();
    // answers-QID-VOICE, partial-QID-VOICE (calibration answers) or
    // val-KIND-QID-VOICE (the validation set's bank answers), [-noisy].
    const bool val = name.rfind("val-", 0) == 0;
    std::string kind = val ? name.substr(4, name.find('-', 4) - 4)
                           : name.substr(0, name.find('-'));
    if (kind == "answers")
      kind = "strong";
    const bool strong = kind == "strong";
    if (kind != "strong" && kind != "partial" && kind != "thin")
      continue;
    std::string rest = name.substr(name.find('-', val ? 4 : 0) + 1);
    const bool noisy = rest.size() > 6 && rest.compare(rest.size() - 6, 6, "-noisy") == 0;
    if (noisy)
      rest.resize(rest.size() - 6);
    const auto dash = rest.rfind('-');
    if (dash == std::string::npos)
      continue;
    const std::string qid = rest.substr(0, dash), voice = rest.substr(dash + 1);
    const auto* q = bank.find(qid);
    if (!q) {
      std::fprintf(stderr, "%s: unknown question %s\n", f.c_str(), qid.c_str());
      return 1;
    }
    const auto typed_text = validation::read_text(
      val ? validation::data_dir() + "/validation/bank/" + qid + "/"
              + (strong ? "strong-spoken.txt" : kind + ".txt")
          : validation::data_dir() + "/" + qid + "/" + kind + ".txt");
    auto typed = engine.grade(*q, transcript_from_text(typed_text));
    // What a recogniser wrote: its words may be mis-heard (rubric words are
    // also matched by sound). The files hold text only, no n-best.
    auto heard = transcript_from_text(validation::read_text(f));
    for (auto& l : heard)
      l.recognised = true;
    auto spoken = engine.grade(*q, heard);
    if (r0.verbose) {
      v::answer as;
      as.question = qid;
      as.level = kind;
      std::printf("%s\n", name.c_str());
      r0.print("typed", as, typed, false);
      r0.print("heard", as, spoken, false);
    }
    // The same spoken answer asked as every other question of its set:
    // recognition errors must not make an answer to another question pass.
    for (const auto& other : val ? validation_ids : calibration_ids) {
      if (other == qid || !strong)
        continue;
      auto card = engine.grade(*bank.find(other), heard);
      ++off.graded;
      off.failed += card.result.result == outcome::fail;
      off.highest = std::max(off.highest, card.result.overall);
    }
    rows.push_back({name, voice + (noisy ? " noisy" : " clean"), kind, strong, typed.result.overall,
                    spoken.result.overall, typed.result.result, spoken.result.result});
  }
  std::printf("| set | typed | spoken | gap |\n|---|---|---|---|\n");
  for (const auto& r : rows)
    std::printf("| %s | %.1f %s | %.1f %s | %.1f |\n", r.set.c_str(), r.typed,
                to_string(r.typed_v), r.spoken, to_string(r.spoken_v), r.typed - r.spoken);
  std::map<std::string, std::pair<double, int>> by_condition;
  int strong = 0, strong_kept = 0, thin = 0, thin_kept = 0;
  double gap = 0;
  for (const auto& r : rows) {
    auto& [sum, n] = by_condition[r.condition];
    sum += r.typed - r.spoken;
    ++n;
    gap += r.typed - r.spoken;
    if (r.strong && r.typed_v == outcome::scale) {
      ++strong;
      strong_kept += r.spoken_v == outcome::scale;
    }
    if (r.kind == "thin" && r.typed_v == outcome::fail) {
      ++thin;
      thin_kept += r.spoken_v == outcome::fail;
    }
  }
  std::printf("\n| voice, condition | answers | mean typed - spoken |\n|---|---|---|\n");
  for (const auto& [c, v] : by_condition)
    std::printf("| %s | %d | %.1f |\n", c.c_str(), v.second, v.first / v.second);
  std::printf("\nall: %zu answers, mean gap %.1f; strong answers that Scale typed and keep "
              "Scale spoken: %d of %d; thin answers that Fail typed and keep Fail spoken: %d of %d\n",
              rows.size(), rows.empty() ? 0.0 : gap / static_cast<double>(rows.size()),
              strong_kept, strong, thin_kept, thin);
  std::printf("strong spoken answers graded on the other questions of their set: %d/%d Fail, "
              "highest %.1f\n", off.failed, off.graded, off.highest);
  return rows.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fairness of the verdicts on the calibration and validation sets"};
  std::string index, set = "all";
  bool verbose = false, quiet = false, markdown = false;
  engine_options eo;
  app.add_option("--index", index, "knowledge-base index dir (default: index the shipped corpus)");
  app.add_option("--set", set, "calibration, validation or all")
    ->check(CLI::IsMember({"calibration", "validation", "all"}));
  app.add_flag("-v,--verbose", verbose, "dimension scores, point coverage, relevance");
  app.add_option("--floor", eo.floor, "raw similarity mapped to 0 (calibration)");
  app.add_option("--ceiling", eo.ceiling, "raw similarity mapped to 1 (calibration)");
  app.add_option("--dense-weight", eo.dense_weight, "share of the dense cosine");
  app.add_option("--cue-similarity", eo.cue_similarity, "raw similarity of a sentence with enough cues (0: no cues)");
  app.add_option("--cues-needed", eo.cues_needed, "cues a sentence needs for the full cue similarity");
  app.add_flag("-q,--quiet", quiet, "only the summaries");
  app.add_flag("--markdown", markdown, "summaries as a markdown table");
  std::string spoken;
  std::vector<std::string> dicts;
  app.add_option("--dict", dicts,
                 "pronunciation dictionaries for matching rubric words by sound in --spoken "
                 "transcripts (default: the recogniser's, [stt.pocketsphinx]; \"none\": off)");
  app.add_option("--sound-credit", eo.sound_credit, "share of a rubric word's credit for a word that sounds like it");
  app.add_option("--retention", eo.recognised_retention, "recognised speech: share of a point's similarity that survives recognition");
  app.add_option("--topic-retention", eo.recognised_topic_retention, "recognised speech: share of the topic match that survives recognition");
  app.add_option("--notes-grammar", eo.notes_grammar_share, "notes: function-word share read as a full explanation");
  app.add_option("--notes-connective", eo.notes_no_connective, "notes: factor of a statement without a connective");
  app.add_option("--spoken", spoken,
                 "grade the transcripts `stt_eval --transcripts DIR` wrote against their typed "
                 "answers (the typed-minus-spoken gap)");
  bool baseline = false;
  app.add_flag("--baseline", baseline,
               "grade as before issue 17: no relevance, no cues, notes read as prose, "
               "ad-hoc rubrics without clause points or specificity");
  CLI11_PARSE(app, argc, argv);

  auto bank = sof::config::question_bank::load();
  if (!bank) {
    std::fprintf(stderr, "question bank: %s\n", sof::describe(bank.error()).c_str());
    return 1;
  }
  if (baseline)
    eo.cue_similarity = 0;
  auto kb = bench::open_kb(index);
  auto engine = baseline ? kb_engine(kb, eo) : kb_engine(kb, *bank, eo);
  auto hook = kb_citations(kb);
  const auto spec = baseline ? term_specificity{} : kb_engine(kb, *bank, eo)->topics()->specificity();
  derive_options dopts;
  if (baseline)
    dopts.clause_points = 0;
  run r{*engine, *bank, verbose, quiet || markdown, !baseline};
  if (!spoken.empty()) {
    if (dicts.empty())
      dicts = bench::recogniser_dictionaries();
    if (dicts != std::vector<std::string>{"none"}) {
      auto ph = phonetic_index::load({dicts.begin(), dicts.end()});
      if (!ph) {
        std::fprintf(stderr, "%s\n", sof::describe(ph.error()).c_str());
        return 1;
      }
      std::fprintf(stderr, "matching by sound: %zu words from %zu dictionaries\n", ph->words(),
                   dicts.size());
      engine = std::make_shared<const rubric_engine>(
        engine->with_phonetics(std::make_shared<const phonetic_index>(std::move(*ph))));
    }
    return spoken_gap(run{*engine, *bank, verbose, false, true}, spoken);
  }

  auto from_bank = [&](const v::answer& a) {
    const auto* q = bank->find(a.question);
    if (!q)
      throw std::runtime_error("unknown question " + a.question);
    return *q;
  };
  // The bank question asked as free text: what an ad-hoc question with the
  // same words would be graded against.
  auto bank_adhoc = [&](const v::answer& a) {
    auto q = question_from_text(from_bank(a).prompt, bank->generic(), hook, spec, dopts);
    q.id = "adhoc:" + a.question;
    return q;
  };
  auto adhoc = [&](const v::answer& a) {
    auto q = question_from_text(a.question_text, bank->generic(), hook, spec, dopts);
    q.id = "adhoc:" + a.question;
    return q;
  };
  auto strong_scale = [&](const char* name, const std::vector<v::answer>& answers,
                          auto question_of, tally& t) {
    for (const auto& a : answers) {
      if (a.level != "strong")
        continue;
      ++t.adhoc_strong;
      t.adhoc_strong_scale += r.grade(question_of(a), a).result.result == outcome::scale;
    }
    if (!markdown)
      std::printf("%s: strong answers reaching Scale without a hand rubric: %d of %d\n\n", name,
                  t.adhoc_strong_scale, t.adhoc_strong);
  };

  if (markdown)
    std::printf("| set | questions | answers | pairs in order | verdict errors | another "
                "question Fail | below on-topic | highest other |\n|---|---|---|---|---|---|---|---|\n");
  if (set != "validation") {
    if (!r.quiet)
      std::printf("== calibration: bank questions (tests/data/grading/manifest.json)\n");
    auto cal = v::load();
    summary("calibration", "bank, hand rubric", r.evaluate(cal, from_bank), markdown);
    if (!r.quiet)
      std::printf("== calibration: the same questions asked ad hoc\n");
    auto t = r.evaluate(cal, bank_adhoc);
    summary("calibration", "bank, asked ad hoc", t, markdown);
  }
  if (set != "calibration") {
    auto bank_v = v::load_validation("bank");
    auto adhoc_v = v::load_validation("adhoc");
    if (!r.quiet)
      std::printf("== validation: bank questions (tests/data/grading/validation/bank)\n");
    summary("validation", "bank, hand rubric", r.evaluate(bank_v, from_bank), markdown);
    if (!r.quiet)
      std::printf("== validation: the same questions asked ad hoc\n");
    auto tb = r.evaluate(bank_v, bank_adhoc);
    summary("validation", "bank, asked ad hoc", tb, markdown);
    if (!r.quiet)
      std::printf("== validation: ad-hoc questions (tests/data/grading/validation/adhoc)\n");
    auto ta = r.evaluate(adhoc_v, adhoc);
    summary("validation", "ad hoc, not in the bank", ta, markdown);
    strong_scale("validation ad hoc", adhoc_v, adhoc, ta);
    if (markdown)
      std::printf("\nAd-hoc strong answers reaching Scale: %d of %d\n", ta.adhoc_strong_scale,
                  ta.adhoc_strong);
  }
  return 0;
}
