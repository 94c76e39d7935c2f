// stt_eval: measures the pocketsphinx provider (word error rate with S/D/I,
// real-time factor, init time) over the evaluation sets of eval_sets.hpp,
// each decoded as sessions (adaptive state carried utterance to utterance,
// as in a live interview). Produces the tables in docs/stt.md.
//
//   stt_eval [--sets LIST] [--json FILE] [--markdown] [-v] [key=value ...]
// LIST: comma-separated set names or groups (validation, calibration,
// answers, all = validation + calibration); default validation. keys are
// [stt.pocketsphinx] settings, e.g. adapt=false nbest=0 (the per-utterance
// behaviour of before), domain_weight=0 (stock model), lw=6.5.
// The old positional flite|real|both still work (calib-kal16, read, both).
#include "actors/common/errors.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"
#include "config/settings.hpp"
#include "tests/actors/providers/stt/eval_sets.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "actors/session/question_bias.hpp"
#include "config/questions.hpp"
#include "retrieval/builder.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

using namespace sof;
using namespace sof::stt::testing;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// CPU time of this thread: the real-time factor "per stream per core" must
// not depend on what else the machine is running.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// How well word confidences separate right from wrong words: counts of
// recognised words below each threshold, and how many of those were wrong.
constexpr std::array<float, 7> thresholds{0.05f, 0.1f, 0.2f, 0.3f, 0.5f, 0.7f, 0.9f};
struct confidence_counts {
  std::size_t words = 0, wrong = 0;
  std::array<std::size_t, thresholds.size()> below{}, below_wrong{};
  void add(const confidence_counts& o) {
    words += o.words;
    wrong += o.wrong;
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
      below[i] += o.below[i];
      below_wrong[i] += o.below_wrong[i];
    }
  }
};

// A recognised word is right when it is on a longest common subsequence
// of hypothesis and reference (the matches of a minimal alignment).
confidence_counts score_confidences(const std::vector<stt::word_info>& words,
                                    const std::string& reference) {
  auto ref = text::normalize_words(reference);
  const std::size_t n = words.size(), m = ref.size();
  std::vector<std::vector<uint16_t>> lcs(n + 1, std::vector<uint16_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = words[i].word == ref[j]
                    ? static_cast<uint16_t>(lcs[i + 1][j + 1] + 1)
                    : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<bool> right(n, false);
  for (std::size_t i = 0, j = 0; i < n && j < m;) {
    if (words[i].word == ref[j]) {
      right[i] = true;
      ++i, ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  confidence_counts c;
  for (std::size_t i = 0; i < n; ++i) {
    ++c.words;
    c.wrong += !right[i];
    for (std::size_t t = 0; t < thresholds.size(); ++t)
      if (words[i].confidence < thresholds[t]) {
        ++c.below[t];
        c.below_wrong[t] += !right[i];
      }
  }
  return c;
}

struct set_result {
  std::string name, group;
  std::size_t sessions = 0, utterances = 0;
  text::wer_result wer;
  confidence_counts conf;
  double audio_s = 0, cpu_s = 0;
  std::string transcript;  // one recognised utterance per line
  double rtf() const { return audio_s > 0 ? cpu_s / audio_s : 0; }
};

// Mean and worst WER of the four voices of one family and condition
// (e.g. sd clean): the targets are stated per voice, not pooled, so one
// hard voice cannot hide behind three easy ones.
struct voice_summary {
  std::string label;
  std::size_t voices = 0;
  double mean = 0, max = 0;
  std::string worst;
};

std::vector<voice_summary> summaries(const std::vector<set_result>& results) {
  std::vector<voice_summary> out;
  for (const char* family : {"sd", "calib", "answers", "partial"})
    for (const char* cond : {"clean", "noisy"}) {
      voice_summary s;
      s.label = std::string{family} + " " + cond;
      for (const auto& r : results) {
        bool noisy = r.name.size() > 6
                     && r.name.compare(r.name.size() - 6, 6, "-noisy") == 0;
        if (r.name.rfind(std::string{family} + "-", 0) != 0
            || noisy != (std::string{cond} == "noisy"))
          continue;
        double w = r.wer.rate();
        s.mean += w;
        if (s.voices++ == 0 || w > s.max) {
          s.max = w;
          s.worst = r.name;
        }
      }
      if (s.voices > 0) {
        s.mean /= static_cast<double>(s.voices);
        out.push_back(s);
      }
    }
  return out;
}

set_result evaluate(stt::stt_provider& p, const eval_set& set, bool verbose) {
  set_result r;
  r.name = set.name;
  r.group = set.group;
  r.sessions = set.sessions.size();
  r.utterances = set.utterance_count();
  const bool tty = ::isatty(2) != 0;
  std::size_t done = 0;
  for (const auto& session : set.sessions) {
    stt::adapt_state state;  // each speaker starts from the model's state
    for (const auto& item : session.utterances) {
      auto c0 = thread_cpu_seconds();
      auto res = decode_result(p, item.pcm, state);
      r.cpu_s += thread_cpu_seconds() - c0;
      state = std::move(res.next_state);
      r.audio_s += static_cast<double>(item.pcm.size()) / stt::sample_rate;
      auto w = score_utterance(set.score, item.reference, res.text);
      r.wer += w;
      if (!res.text.empty())
        r.transcript += res.text + ".\n";
      if (set.score == scoring::plain)
        r.conf.add(score_confidences(res.words, item.reference));
      if (verbose && w.errors() > 0)
        std::printf("  %s/%s [%zu err]\n    ref: %s\n    hyp: %s\n",
                    session.speaker.c_str(), item.name.c_str(), w.errors(),
                    item.reference.c_str(), res.text.c_str());
      ++done;
      if (tty)
        std::fprintf(stderr, "\r%s %zu/%zu ", set.name.c_str(), done,
                     r.utterances);
      else if (done % 10 == 0 || done == r.utterances)
        std::fprintf(stderr, "%s %zu/%zu\n", set.name.c_str(), done,
                     r.utterances);
    }
  }
  if (tty)
    std::fprintf(stderr, "\n");
  return r;
}

void print_text(const set_result& r) {
  std::printf("%-34s utts %4zu words %5zu  WER %.3f (%zu: S%zu D%zu I%zu)  "
              "RTF %.3f (%.1f s audio, %.1f s cpu)\n",
              r.name.c_str(), r.utterances, r.wer.reference_words, r.wer.rate(),
              r.wer.errors(), r.wer.substitutions, r.wer.deletions,
              r.wer.insertions, r.rtf(), r.audio_s, r.cpu_s);
}

void print_markdown(const std::string& config,
                    const std::vector<set_result>& results,
                    const std::vector<std::string>& skipped) {
  std::printf("\nconfiguration: %s\n\n", config.c_str());
  std::printf("| set | group | sessions | utterances | words | WER | "
              "S / D / I | audio s | RTF |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : results)
    std::printf("| %s | %s | %zu | %zu | %zu | %.3f | %zu / %zu / %zu | %.1f | "
                "%.3f |\n",
                r.name.c_str(), r.group.c_str(), r.sessions, r.utterances,
                r.wer.reference_words, r.wer.rate(), r.wer.substitutions,
                r.wer.deletions, r.wer.insertions, r.audio_s, r.rtf());
  for (const auto& s : summaries(results))
    std::printf("| **%s, %zu sets** | | | | | mean %.3f, max %.3f (%s) | | | |\n",
                s.label.c_str(), s.voices, s.mean, s.max, s.worst.c_str());
  for (const auto& name : skipped)
    std::printf("| %s | skipped | | | | | | | |\n", name.c_str());
}

nlohmann::json to_json(const std::string& config, double init_s,
                       const std::vector<set_result>& results,
                       const std::vector<std::string>& skipped) {
  nlohmann::json j{{"config", config}, {"init_seconds", init_s},
                   {"sets", nlohmann::json::array()},
                   {"summaries", nlohmann::json::array()},
                   {"skipped", skipped}};
  for (const auto& r : results)
    j["sets"].push_back({{"name", r.name}, {"group", r.group},
                         {"sessions", r.sessions}, {"utterances", r.utterances},
                         {"words", r.wer.reference_words}, {"wer", r.wer.rate()},
                         {"errors", r.wer.errors()},
                         {"substitutions", r.wer.substitutions},
                         {"deletions", r.wer.deletions},
                         {"insertions", r.wer.insertions},
                         {"audio_seconds", r.audio_s}, {"cpu_seconds", r.cpu_s},
                         {"rtf", r.rtf()}});
  for (const auto& s : summaries(results))
    j["summaries"].push_back({{"label", s.label}, {"voices", s.voices},
                              {"mean_wer", s.mean}, {"max_wer", s.max},
                              {"worst", s.worst}});
  return j;
}

// "answers-rate-limiter-awb-noisy" -> "rate-limiter" (also "partial-...").
std::string question_of(const std::string& set_name) {
  auto rest = set_name.substr(set_name.find('-') + 1);
  auto ids = answer_question_ids();
  if (set_name.starts_with("val-")) {  // val-KIND-QID-VOICE
    rest = rest.substr(rest.find('-') + 1);
    ids = validation_answer_ids();
  }
  for (const auto& id : ids)
    if (rest.starts_with(id + "-"))
      return id;
  throw std::runtime_error("no question for set " + set_name);
}

stt::question_bias question_bias(const std::string& qid) {
  static auto bank = config::question_bank::load();
  if (!bank)
    throw std::runtime_error(describe(bank.error()));
  const auto* q = bank->find(qid);
  if (q == nullptr)
    throw std::runtime_error("unknown question " + qid);
  static auto kb = retrieval::open_or_build();
  if (!kb)
    throw std::runtime_error(describe(kb.error()));
  static auto engine = grading::kb_engine(*kb, *bank);
  return session::question_bias_of(*q, engine.get());
}

std::unique_ptr<stt::pocketsphinx_provider>
make_biased(const config::pocketsphinx_settings& cfg, const stt::question_bias& b) {
  auto p = stt::pocketsphinx_provider::create(cfg, &b);
  if (!p)
    throw std::runtime_error(describe(p.error()));
  const auto& q = (*p)->question_model();
  std::fprintf(stderr, "question model %s: %zu sentences, %zu words, %zu new "
               "pronunciations, %s in %.1f ms\n", b.id.c_str(), q.sentences,
               q.words.size(), (*p)->question_words(),
               q.from_cache ? "cached" : "built", q.build_ms);
  return std::move(*p);
}

int usage() {
  std::cerr << "usage: stt_eval [--sets LIST] [--bias] [--json FILE] [--markdown] "
               "[--transcripts DIR] [-v] "
               "[key=value ...]\n  LIST: set names or groups (validation, "
               "calibration, answers, val-answers, all), comma-separated\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sets = "validation", json_path, config_text, transcripts_dir;
  bool verbose = false, markdown = false, bias = false;
  std::string toml = "[stt.pocketsphinx]\n";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--sets" && i + 1 < argc)
      sets = argv[++i];
    else if (a == "--json" && i + 1 < argc)
      json_path = argv[++i];
    else if (a == "--markdown")
      markdown = true;
    else if (a == "--transcripts" && i + 1 < argc)
      transcripts_dir = argv[++i];
    else if (a == "--bias")
      bias = true;
    else if (a == "-v")
      verbose = true;
    else if (a == "flite" || a == "real" || a == "both")
      sets = a;
    else if (auto eq = a.find('='); eq != std::string::npos) {
      toml += a.substr(0, eq) + " = " + a.substr(eq + 1) + "\n";
      config_text += (config_text.empty() ? "" : " ") + a;
    } else
      return usage();
  }
  if (config_text.empty())
    config_text = "defaults";
  auto cfg = config::parse(toml, "command line");
  if (!cfg) {
    std::cerr << describe(cfg.error()) << "\n";
    return 2;
  }
  std::vector<std::string> names;
  try {
    names = expand_set_names(sets);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return usage();
  }
  auto t0 = clock_type::now();
  auto c0 = thread_cpu_seconds();
  auto p = stt::pocketsphinx_provider::create(cfg->stt.pocketsphinx);
  if (!p) {
    std::cerr << describe(p.error()) << "\n";
    return 1;
  }
  double init_s = seconds_since(t0);
  std::printf("config: %s\ninit %.3f s wall, %.3f s cpu (%zu domain "
              "pronunciations)\n",
              config_text.c_str(), init_s, thread_cpu_seconds() - c0,
              (*p)->domain_words());
  std::vector<set_result> results;
  std::vector<std::string> skipped;
  try {
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::fprintf(stderr, "[%zu/%zu] loading %s\n", i + 1, names.size(),
                   names[i].c_str());
      eval_set set;
      try {
        set = load_set(names[i]);
      } catch (const set_unavailable& e) {
        std::fprintf(stderr, "skipping %s: %s\n", names[i].c_str(), e.what());
        skipped.push_back(names[i]);
        continue;
      }
      stt::stt_provider* decoder = p->get();
      std::unique_ptr<stt::pocketsphinx_provider> biased;
      if (bias && (names[i].starts_with("answers-") || names[i].starts_with("partial-")
                   || names[i].starts_with("val-"))) {
        // The answer's own question, as a live session of it would have.
        auto qid = question_of(names[i]);
        auto b = question_bias(qid);
        biased = make_biased(cfg->stt.pocketsphinx, b);
        decoder = biased.get();
      }
      results.push_back(evaluate(*decoder, set, verbose));
      print_text(results.back());
      if (!transcripts_dir.empty()) {
        // What the recogniser heard, for eval_grading --spoken.
        std::filesystem::create_directories(transcripts_dir);
        std::ofstream t{std::filesystem::path(transcripts_dir) / (names[i] + ".txt")};
        t << results.back().transcript;
        if (!t)
          throw std::runtime_error("cannot write a transcript into " + transcripts_dir);
      }
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  set_result total;
  for (const auto& r : results) {
    total.audio_s += r.audio_s;
    total.cpu_s += r.cpu_s;
  }
  confidence_counts conf;
  for (const auto& r : results)
    conf.add(r.conf);
  if (conf.words > 0) {
    std::printf("word confidences: %zu words, %.1f%% wrong\n", conf.words,
                100.0 * conf.wrong / conf.words);
    for (std::size_t t = 0; t < thresholds.size(); ++t)
      std::printf("  below %.2f: %5.1f%% of words, %5.1f%% of them wrong, "
                  "%5.1f%% of wrong words\n", thresholds[t],
                  100.0 * conf.below[t] / conf.words,
                  conf.below[t] ? 100.0 * conf.below_wrong[t] / conf.below[t] : 0.0,
                  conf.wrong ? 100.0 * conf.below_wrong[t] / conf.wrong : 0.0);
  }
  for (const auto& s : summaries(results))
    std::printf("%-14s %zu sets: mean WER %.3f, max %.3f (%s)\n",
                s.label.c_str(), s.voices, s.mean, s.max, s.worst.c_str());
  std::printf("total: %.1f s audio, %.1f s decoder cpu, RTF %.3f\n",
              total.audio_s, total.cpu_s, total.rtf());
  for (const auto& name : skipped)
    std::printf("skipped: %s\n", name.c_str());
  if (markdown)
    print_markdown(config_text, results, skipped);
  if (!json_path.empty()) {
    std::ofstream out{json_path};
    out << to_json(config_text, init_s, results, skipped).dump(2) << "\n";
    if (!out) {
      std::cerr << "cannot write " << json_path << "\n";
      return 1;
    }
  }
  return 0;
}
