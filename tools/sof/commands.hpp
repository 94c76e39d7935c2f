#pragma once
// Each subcommand of `sof` lives in its own file and adds itself here.
#include <CLI/CLI.hpp>

namespace sof::cli {

void add_transcribe_command(CLI::App& app);
void add_replay_command(CLI::App& app);
void add_interview_command(CLI::App& app);
/// `sof kb build`, `sof kb search` (cmd_kb.cpp; link target sof_kb_cli).
void add_kb_commands(CLI::App& app);
/// `sof questions [--json] [--track T] [--difficulty D] [--show ID]`.
void add_questions_command(CLI::App& app);
/// `sof say TEXT --out FILE.wav` (cmd_say.cpp).
void add_say_command(CLI::App& app);
/// `sof tts-race` (cmd_tts_race.cpp).
void add_tts_race_command(CLI::App& app);
/// `sof chaos` (cmd_chaos.cpp; the campaign is chaos_campaign.cpp).
void add_chaos_command(CLI::App& app);
/// `sof client --url URL --question ID --audio FILE` (cmd_client.cpp).
void add_client_command(CLI::App& app);
/// `sof loadgen --url URL --sessions N ...` (cmd_loadgen.cpp).
void add_loadgen_command(CLI::App& app);
/// `sof serve`, `sof token` (cmd_serve.cpp).
void add_serve_command(CLI::App& app);
void add_token_command(CLI::App& app);

}  // namespace sof::cli
