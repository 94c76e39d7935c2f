// sof chaos: the chaos lab. N full interview sessions over one spoken answer
// with faults injected into any agent or provider, compared with the
// fault-free run of the same audio (docs/chaos.md). The campaign itself is
// lab::run_campaign; this file parses, validates and prints.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/progress.hpp"
#include "actors/session/offline_run.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/retriever.hpp"
#include "tools/sof/chaos_campaign.hpp"
#include "tools/sof/chaos_report.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <cstdio>
#include <fstream>

namespace sof::cli {
namespace {

struct chaos_options {
  int sessions = 20;
  int concurrency = 2;
  std::string faults;
  uint64_t seed = 1;
  std::vector<std::string> questions{"ticketing-flash-sale"};
  std::string audio = std::string{SOF_DATA_DIR} + "/samples/ticketing_interview.wav";
  std::string index;
  std::string report;
  bool json = false;
  common_options common;
};

void print_table(const nlohmann::json& j) {
  std::printf("\nchaos: %s (seed %llu, %zu sessions, concurrency %d)\n",
              j["faults"].get<std::string>().empty() ? "no faults"
                                                     : j["faults"].get<std::string>().c_str(),
              static_cast<unsigned long long>(j["seed"].get<uint64_t>()),
              j["sessions"].get<std::size_t>(), j["concurrency"].get<int>());
  auto row = [](const char* what, const std::string& v) {
    std::printf("  %-28s %s\n", what, v.c_str());
  };
  auto n = [&](const char* key) { return std::to_string(j[key].get<std::size_t>()); };
  row("sessions completed", n("completed") + " / " + n("sessions"));
  row("words lost", n("words_lost"));
  for (const auto& [kind, v] : j["restarts"].items())
    row(("restarts: " + kind).c_str(), std::to_string(v.get<uint32_t>()));
  row("escalations", n("escalations"));
  row("graders unavailable", n("graders_unavailable"));
  row("graders silently missing", n("graders_silently_missing"));
  row("verdicts changed", n("verdicts_changed"));
  row("grades without embeddings", n("embed_degraded"));
  for (const auto& [kind, v] : j["absorbed"].items())
    row(kind.c_str(), std::to_string(v.get<uint32_t>()));
  for (const char* k : {"session_ms", "followup_ms"}) {
    const auto& l = j["latency"][k];
    char buf[160];
    std::snprintf(buf, sizeof buf, "p50 %.0f ms (x%.2f)  p95 %.0f ms (x%.2f)",
                  l["p50"].get<double>(), l["ratio_p50"].get<double>(), l["p95"].get<double>(),
                  l["ratio_p95"].get<double>());
    row(k == std::string{"session_ms"} ? "session wall time" : "follow-up latency", buf);
  }
}

int run(const chaos_options& o) {
  if (o.sessions < 1)
    return fail("--sessions must be at least 1");
  if (o.concurrency < 1)
    return fail("--concurrency must be at least 1");
  auto spec = supervision::fault_spec::parse(o.faults);
  if (!spec)
    return fail(spec.error());
  auto settings = load_settings(o.common);
  if (!settings)
    return fail(settings.error());
  if (o.common.log_level.empty())  // restarts are the point here, not noise
    log::set_level("off");
  auto bank = config::question_bank::load();
  if (!bank)
    return fail(bank.error());
  lab::campaign_options c;
  for (const auto& id : o.questions) {
    const auto* q = bank->find(id);
    if (!q)
      return fail("unknown question '" + id + "' (see sof questions)");
    c.questions.push_back(std::make_shared<const config::question>(*q));
  }
  if (c.questions.empty())
    return fail("--questions names no question");
  if (!o.report.empty())
    if (auto err = check_writable(o.report))
      return fail(err);
  auto audio = audio::read_file(o.audio);
  if (!audio)
    return fail(audio.error());
  auto kb = retrieval::open_or_build(o.index);
  if (!kb)
    return fail(kb.error());
  c.engine = grading_engine(*kb, *bank, *settings);
  c.sessions = o.sessions;
  c.concurrency = o.concurrency;
  c.seed = o.seed;
  c.faults = std::move(*spec);
  c.settings = std::move(*settings);
  c.audio = std::move(audio->samples);
  auto bar = std::make_shared<progress>("chaos", static_cast<std::size_t>(o.sessions), !o.json);
  c.on_progress = [bar](std::size_t done, std::size_t) { bar->update(done); };

  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  auto result = lab::run_campaign(sys, c);
  bar->finish();
  if (!result)
    return fail(result.error());
  auto j = lab::to_json(*result, c);
  if (!o.report.empty()) {
    std::ofstream f{o.report};
    f << render_chaos_html(j);
    if (!f)
      return fail(make_error(errc::io_error, "cannot write " + o.report));
  }
  if (o.json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    print_table(j);
    if (!o.report.empty())
      std::printf("report: %s\n", o.report.c_str());
  }
  return 0;
}

}  // namespace

void add_chaos_command(CLI::App& app) {
  auto o = std::make_shared<chaos_options>();
  auto* cmd = app.add_subcommand(
    "chaos", "the chaos lab: many full interview sessions with injected faults, "
             "compared with the fault-free run (docs/chaos.md)");
  cmd->add_option("--sessions", o->sessions, "sessions to run (default 20)");
  cmd->add_option("--concurrency", o->concurrency, "sessions at once (default 2)");
  cmd->add_option("--faults", o->faults,
                  "e.g. stt.crash=0.3,grader.crash=0.3,followup.hang=0.05 (docs/chaos.md)");
  cmd->add_option("--seed", o->seed, "seed: the same seed replays the same faults");
  cmd->add_option("--questions", o->questions, "question ids, comma-separated; "
                                               "session i answers the (i mod n)-th")
    ->delimiter(',');
  cmd->add_option("--audio", o->audio, "the spoken answer (default: the interview sample)");
  cmd->add_option("--index", o->index, "knowledge-base index directory");
  cmd->add_flag("--json", o->json, "print the result as JSON");
  cmd->add_option("--report", o->report, "write an HTML report with plots");
  o->common.add_to(cmd, false);
  cmd->callback([o] {
    if (int rc = run(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
