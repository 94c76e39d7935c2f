// sof interview: a whole interview offline — a recording (or a typed
// answer) through the session tree with follow-ups, six graders and the
// verdict; prints the scorecard, JSON (docs/scorecard.md) or an HTML report.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "actors/common/progress.hpp"
#include "actors/grading/derived_rubric.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "actors/session/offline_run.hpp"
#include "actors/session/summary_json.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"
#include "tools/sof/html_report.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace sof::cli {
namespace {

struct interview_options {
  std::string question_id;
  std::string question_text;
  std::string audio;
  std::string text;
  std::string html;
  std::string index;
  std::string journal;
  bool json = false;
  bool realtime = false;
  common_options common;
};


void print_scorecard(const nlohmann::json& j) {
  std::printf("\n%s — %s (%.0f/100)\n", j["question_title"].get<std::string>().c_str(),
              j["verdict"] == "scale" ? "SCALE" : "FAIL",
              j["overall"].get<double>());
  std::printf("%s\n", j["reason"].get<std::string>().c_str());
  if (j.contains("relevance") && j["relevance"].get<double>() < 1.0)
    std::printf("relevance to the question: %.2f (the overall score is bounded by it)\n",
                j["relevance"].get<double>());
  std::printf("\n");
  for (const auto& d : j["dimensions"]) {
    if (d["status"] == "unavailable") {
      std::printf("  %-24s unavailable (%s)\n",
                  d["name"].get<std::string>().c_str(),
                  d["note"].get<std::string>().c_str());
      continue;
    }
    double score = d["score"].get<double>();
    std::string bar(static_cast<std::size_t>(score * 2 + 0.5), '#');
    std::printf("  %-24s %4.1f  %s\n", d["name"].get<std::string>().c_str(),
                score, bar.c_str());
    if (!d["evidence"].empty())
      std::printf("      \"%s\"\n", d["evidence"][0]["quote"].get<std::string>().c_str());
    for (std::size_t i = 0; i < d["missing"].size() && i < 2; ++i)
      std::printf("      missing: %s\n",
                  d["missing"][i]["point"].get<std::string>().c_str());
  }
  if (!j["improvements"].empty()) {
    std::printf("\nTop improvements:\n");
    int n = 1;
    for (const auto& i : j["improvements"])
      std::printf("  %d. %s\n", n++, i.get<std::string>().c_str());
  }
}

int run_interview(const interview_options& o) {
  auto setup = load_setup(o.common);
  if (setup.exit_code)
    return setup.exit_code;
  const auto& settings = setup.settings;
  const auto& injector = setup.faults;
  auto bank = config::question_bank::load();
  if (!bank)
    return fail(bank.error());
  auto kb = retrieval::open_or_build(o.index);
  if (!kb)
    return fail(kb.error());
  auto hook = grading::kb_citations(*kb);
  std::shared_ptr<const config::question> question;
  auto engine = grading_engine(*kb, *bank, settings);
  if (!o.question_id.empty()) {
    const auto* q = bank->find(o.question_id);
    if (!q) {
      std::string ids;
      for (const auto& x : bank->all())
        ids += (ids.empty() ? "" : ", ") + x.id;
      return fail("unknown question '" + o.question_id + "' (known: " + ids + ")",
                  2);
    }
    question = std::make_shared<const config::question>(*q);
  } else {
    question = std::make_shared<const config::question>(
      grading::question_from_text(o.question_text, bank->generic(), hook,
                                  engine->topics()->specificity()));
  }

  session::session_options sopts;
  sopts.session_id = session::new_session_id();
  sopts.cfg = settings;
  sopts.faults = injector;
  sopts.journal_path = o.journal;
  sopts.interview.question = question;
  sopts.interview.engine = engine;
  sopts.interview.grader_deadline_ms = settings.grading.deadline_ms;
  sopts.interview.grader_retries = settings.grading.retries;

  if (!o.json)
    std::printf("Interviewer: %s\n\n", question->prompt.c_str());
  session::offline_run run;
  run.frame_ms = settings.capture.frame_ms;
  run.realtime = o.realtime;
  run.on_followup = [&o](const msg::followup_question& f) {
    if (!o.json && !f.text.empty())
      std::printf("[turn %u, %s] Interviewer: %s\n", f.turn + 1,
                  f.action.c_str(), f.text.c_str());
  };
  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  caf::expected<msg::session_summary> summary{caf::error{}};
  if (!o.audio.empty()) {
    auto audio = audio::read_file(o.audio);
    if (!audio)
      return fail(audio.error());
    auto bar = std::make_shared<progress>(
      "transcribing", static_cast<std::size_t>(audio->seconds() * 1000),
      !o.realtime);
    run.on_segment = [bar](const msg::transcript_segment& s) {
      bar->update(static_cast<std::size_t>(s.end_ms));
    };
    summary = session::run_offline(sys, sopts, audio->samples, run);
    bar->finish();
  } else {
    std::ifstream in{o.text};
    if (!in)
      return fail("cannot read " + o.text);
    std::stringstream ss;
    ss << in.rdbuf();
    auto answer = session::parse_typed_answer(ss.str());
    if (answer.paragraphs.empty())
      return fail(o.text + ": no answer text");
    summary = session::run_offline_text(sys, sopts, answer, run);
  }
  if (!summary)
    return fail(summary.error());
  if (!summary->graded)
    return fail("session incomplete: " + summary->error);
  auto j = session::scorecard_json(*summary);
  if (question->derived) {
    // An ad-hoc question's rubric was made for this run: show what the
    // answer was graded against (`sof questions --derive` prints the same).
    auto rubric = nlohmann::json::array();
    for (const auto& d : question->dimensions) {
      auto pts = nlohmann::json::array();
      for (const auto& p : d.points)
        pts.push_back({{"id", p.id}, {"point", p.point}, {"weight", p.weight}});
      rubric.push_back({{"dimension", d.name}, {"points", std::move(pts)}});
    }
    j["derived_rubric"] = std::move(rubric);
  }
  if (o.json)
    std::printf("%s\n", j.dump(2).c_str());
  else
    print_scorecard(j);
  if (!o.html.empty()) {
    std::ofstream out{o.html};
    out << render_scorecard_html(j);
    if (!out)
      return fail("cannot write " + o.html);
    if (!o.json)
      std::printf("\nreport written to %s\n", o.html.c_str());
  }
  return summary->error.empty() ? 0 : fail("session incomplete: " + summary->error);
}

}  // namespace

void add_interview_command(CLI::App& app) {
  auto o = std::make_shared<interview_options>();
  auto* cmd = app.add_subcommand(
    "interview", "a whole interview offline: follow-ups, six graders, Scale or Fail");
  auto* qid = cmd->add_option("--question", o->question_id,
                              "question id (see sof questions)");
  auto* qtext = cmd->add_option("--question-text", o->question_text,
                                "any question; graded by generic rubrics + the knowledge base");
  qid->excludes(qtext);
  auto* audio = cmd->add_option("--audio", o->audio, "the spoken answer (WAV, ...)");
  auto* text = cmd->add_option("--text", o->text,
                               "the answer as text; blank lines separate turns");
  audio->excludes(text);
  cmd->add_flag("--json", o->json, "print the scorecard as JSON (docs/scorecard.md)");
  cmd->add_option("--html", o->html, "write a self-contained HTML report");
  cmd->add_option("--index", o->index, "knowledge-base index directory");
  cmd->add_option("--journal", o->journal, "write the session journal");
  cmd->add_flag("--realtime", o->realtime, "feed audio at real-time pace");
  o->common.add_to(cmd);
  cmd->callback([o] {
    if (o->question_id.empty() && o->question_text.empty())
      throw exit_code{fail("one of --question or --question-text is required", 2)};
    if (o->audio.empty() && o->text.empty())
      throw exit_code{fail("one of --audio or --text is required", 2)};
    if (int rc = run_interview(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
