// sof transcribe FILE: a recording through the real session actor tree.
#include "actors/audio/audio_file.hpp"
#include "actors/common/progress.hpp"
#include "actors/grading/rubric_engine.hpp"
#include "actors/session/offline_run.hpp"
#include "actors/session/question_bias.hpp"
#include "actors/session/summary_json.hpp"
#include "retrieval/builder.hpp"
#include "retrieval/paths.hpp"
#include "retrieval/retriever.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <cstdio>
#include <memory>

namespace sof::cli {
namespace {

struct transcribe_options {
  std::string file;
  bool json = false;
  bool realtime = false;
  bool raw = false;
  bool quiet = false;
  std::string journal;
  std::string question_id;
  std::string index;
  common_options common;
};

int run_transcribe(const transcribe_options& o) {
  auto setup = load_setup(o.common);
  if (setup.exit_code)
    return setup.exit_code;
  const auto& settings = setup.settings;
  const auto& injector = setup.faults;
  audio::read_options ropts;
  ropts.force_raw = o.raw;
  auto audio = audio::read_file(o.file, ropts);
  if (!audio)
    return fail(audio.error());

  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};

  session::session_options sopts;
  sopts.session_id = session::new_session_id();
  sopts.cfg = settings;
  sopts.faults = injector;
  sopts.journal_path = o.journal;
  if (!o.question_id.empty()) {
    // Bias recognition towards the question (docs/stt.md); no grading.
    auto bank = config::question_bank::load();
    if (!bank)
      return fail(bank.error());
    const auto* q = bank->find(o.question_id);
    if (q == nullptr)
      return fail("unknown question '" + o.question_id + "' (sof questions "
                  "lists them)", 2);
    auto kb = retrieval::open_or_build(o.index);
    if (!kb)
      return fail(kb.error());
    sopts.stt_hints.bias = session::question_bias_source(
      std::make_shared<const config::question>(*q), grading_engine(*kb, *bank, settings));
  }

  const double total_ms = audio->seconds() * 1000.0;
  auto bar = std::make_shared<progress>("transcribing",
                                        static_cast<std::size_t>(total_ms),
                                        !o.quiet && !o.realtime);
  session::offline_run run;
  run.frame_ms = settings.capture.frame_ms;
  run.realtime = o.realtime;
  run.on_segment = [bar, &o](const msg::transcript_segment& s) {
    if (o.realtime && !o.json)
      std::fprintf(stderr, "[%7.2fs] %s\n", s.end_ms / 1000.0, s.text.c_str());
    bar->update(static_cast<std::size_t>(s.end_ms));
  };
  run.on_partial = [&o](const msg::transcript_partial& p) {
    if (o.realtime && !o.json && !o.quiet)
      std::fprintf(stderr, "  ... %s\n", p.text.c_str());
  };
  auto summary = session::run_offline(sys, sopts, audio->samples, run);
  bar->finish();
  if (!summary)
    return fail(summary.error());
  if (o.json) {
    std::printf("%s\n", session::to_json(*summary).dump(2).c_str());
  } else {
    std::printf("%s\n", summary->text.c_str());
    std::fprintf(stderr,
                 "sof: %.1f s of audio, %zu segments, %u stt restarts, "
                 "%.0f words/min\n",
                 summary->audio_seconds, summary->segments.size(),
                 summary->restarts.count("stt") ? summary->restarts.at("stt") : 0,
                 summary->delivery.words_per_minute);
  }
  if (!summary->error.empty())
    return fail("session incomplete: " + summary->error);
  return 0;
}

}  // namespace

void add_transcribe_command(CLI::App& app) {
  auto o = std::make_shared<transcribe_options>();
  auto* cmd = app.add_subcommand(
    "transcribe", "transcribe a recording through the session actor tree");
  cmd->add_option("FILE", o->file,
                  "WAV (any rate/channels/depth) or raw PCM16 16 kHz mono")
    ->required();
  cmd->add_flag("--json", o->json, "print the result as JSON");
  cmd->add_flag("--realtime", o->realtime,
                "feed audio at real-time pace (prints live segments)");
  cmd->add_flag("--raw", o->raw, "treat FILE as headerless PCM16 16 kHz mono");
  cmd->add_flag("--quiet", o->quiet, "no progress bar");
  cmd->add_option("--journal", o->journal,
                  "write the session journal (msgpack) to this file");
  cmd->add_option("--question", o->question_id,
                  "bias recognition towards this question (sof questions)");
  cmd->add_option("--index", o->index,
                  "knowledge-base index for --question (default: the build's)");
  o->common.add_to(cmd);
  cmd->callback([o] {
    if (int rc = run_transcribe(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
