// sof questions: lists the question bank (table or JSON) and shows one
// question's prompt and rubric. Loading validates the whole bank, so this is
// also the quickest way to check a newly added question file. `--derive
// TEXT` prints the rubric an ad-hoc question (`interview --question-text`)
// is graded against.
#include "actors/common/errors.hpp"
#include "actors/grading/derived_rubric.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "retrieval/builder.hpp"
#include "config/questions.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace sof::cli {

namespace {

namespace c = sof::config;

struct questions_args {
  bool json = false;
  std::string track;
  std::string difficulty;
  std::string show;
  std::string dir;
  std::string derive;
  std::string index;
};

nlohmann::ordered_json point_json(const c::rubric_point& p) {
  return {{"id", p.id},         {"point", p.point},
          {"weight", p.weight}, {"phase", p.phase},
          {"phrasings", p.phrasings}, {"followup", p.followup},
          {"cues", p.cues}};
}

// The listing carries dimension summaries; --show carries every point.
nlohmann::ordered_json question_json(const c::question& q, bool full) {
  auto dims = nlohmann::ordered_json::array();
  for (const auto& d : q.dimensions) {
    nlohmann::ordered_json dj{{"name", d.name},
                      {"total_weight", d.total_weight()}};
    if (full) {
      dj["points"] = nlohmann::ordered_json::array();
      for (const auto& p : d.points)
        dj["points"].push_back(point_json(p));
    } else {
      dj["points"] = d.points.size();
    }
    dims.push_back(std::move(dj));
  }
  nlohmann::ordered_json j{{"id", q.id},
                   {"title", q.title},
                   {"track", c::to_string(q.track)},
                   {"difficulty", c::to_string(q.difficulty)},
                   {"time_limit_minutes", q.time_limit_minutes},
                   {"phases", q.phases},
                   {"dimensions", std::move(dims)}};
  if (full)
    j["prompt"] = q.prompt;
  if (q.derived)
    j["derived"] = true;
  return j;
}

void print_table(const std::vector<const c::question*>& qs) {
  std::size_t id_w = 2;
  for (const auto* q : qs)
    id_w = std::max(id_w, q->id.size());
  std::printf("%-*s  %-17s  %-10s  %3s  %s\n", static_cast<int>(id_w), "id",
              "track", "difficulty", "min", "title");
  for (const auto* q : qs)
    std::printf("%-*s  %-17s  %-10s  %3d  %s\n", static_cast<int>(id_w),
                q->id.c_str(), std::string{c::to_string(q->track)}.c_str(),
                std::string{c::to_string(q->difficulty)}.c_str(),
                q->time_limit_minutes, q->title.c_str());
  std::printf("%zu question%s\n", qs.size(), qs.size() == 1 ? "" : "s");
}

void print_question(const c::question& q) {
  std::printf("%s — %s\n", q.id.c_str(), q.title.c_str());
  std::printf("track %s, %s, %d minutes\n",
              std::string{c::to_string(q.track)}.c_str(),
              std::string{c::to_string(q.difficulty)}.c_str(),
              q.time_limit_minutes);
  std::string phases;
  for (const auto& p : q.phases)
    phases += (phases.empty() ? "" : " → ") + p;
  std::printf("phases: %s\n\nPrompt:\n  %s\n", phases.c_str(), q.prompt.c_str());
  for (const auto& d : q.dimensions) {
    std::printf("\n[%s] (%zu points, weight %d)\n", d.name.c_str(),
                d.points.size(), d.total_weight());
    for (const auto& p : d.points) {
      std::printf("  - %s (w%d, %s): %s\n", p.id.c_str(), p.weight,
                  p.phase.c_str(), p.point.c_str());
      for (const auto& ph : p.phrasings)
        std::printf("      \"%s\"\n", ph.c_str());
      if (!p.cues.empty()) {
        std::string cues;
        for (const auto& c : p.cues)
          cues += (cues.empty() ? "" : ", ") + c;
        std::printf("      cues: %s\n", cues.c_str());
      }
      std::printf("      follow-up: %s\n", p.followup.c_str());
    }
  }
}

void run(const questions_args& a) {
  std::optional<c::question_track> track;
  std::optional<c::question_difficulty> difficulty;
  if (!a.track.empty() && !(track = c::parse_track(a.track)))
    throw exit_code{fail("unknown track '" + a.track
                         + "' (system_design, project_deep_dive, behavioural)", 2)};
  if (!a.difficulty.empty() && !(difficulty = c::parse_difficulty(a.difficulty)))
    throw exit_code{fail("unknown difficulty '" + a.difficulty
                         + "' (easy, medium, hard)", 2)};
  auto bank = c::question_bank::load(
    a.dir.empty() ? c::question_bank::default_dir() : std::filesystem::path{a.dir});
  if (!bank)
    throw exit_code{fail(bank.error())};
  if (!a.derive.empty()) {
    if (a.derive.find_first_not_of(" \t\r\n") == std::string::npos)
      throw exit_code{fail("--derive needs the question's text", 2)};
    auto kb = retrieval::open_or_build(a.index);
    if (!kb)
      throw exit_code{fail(kb.error())};
    auto engine = grading::kb_engine(*kb, *bank);
    auto q = grading::question_from_text(a.derive, bank->generic(),
                                         grading::kb_citations(*kb),
                                         engine->topics()->specificity());
    if (a.json)
      std::cout << question_json(q, true).dump(2) << '\n';
    else
      print_question(q);
    return;
  }
  if (!a.show.empty()) {
    const auto* q = a.show == "generic" ? &bank->generic() : bank->find(a.show);
    if (!q)
      throw exit_code{fail(make_error(errc::not_found,
                                      "no question with id '" + a.show
                                        + "' (see `sof questions`)"))};
    if (a.json)
      std::cout << question_json(*q, true).dump(2) << '\n';
    else
      print_question(*q);
    return;
  }
  auto qs = bank->filter(track, difficulty);
  if (a.json) {
    nlohmann::ordered_json out{{"questions", nlohmann::ordered_json::array()}};
    for (const auto* q : qs)
      out["questions"].push_back(question_json(*q, false));
    std::cout << out.dump(2) << '\n';
  } else {
    print_table(qs);
  }
}

}  // namespace

void add_questions_command(CLI::App& app) {
  auto args = std::make_shared<questions_args>();
  auto* cmd = app.add_subcommand("questions",
                                 "list the question bank or show one rubric");
  cmd->add_flag("--json", args->json, "print JSON instead of a table");
  cmd->add_option("--track", args->track,
                  "system_design, project_deep_dive or behavioural");
  cmd->add_option("--difficulty", args->difficulty, "easy, medium or hard");
  cmd->add_option("--show", args->show,
                  "print one question's prompt and rubric (id, or 'generic')");
  cmd->add_option("--dir", args->dir,
                  "question directory (default: config/questions)");
  cmd->add_option("--derive", args->derive,
                  "print the rubric an ad-hoc question with this text is graded against");
  cmd->add_option("--index", args->index,
                  "knowledge-base index directory (for --derive)");
  cmd->callback([args] { run(*args); });
}

}  // namespace sof::cli
