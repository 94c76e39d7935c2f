// sof: the Scale or Fail command line. Each subcommand lives in its own
// cmd_*.cpp and registers itself in commands.hpp.
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"

#include <caf/exec_main.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  sof::cli::install_crash_reporter();
  CLI::App app{"Scale or Fail: voice-first system-design interview practice",
               "sof"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sof 0.1.0");
  sof::cli::add_transcribe_command(app);
  sof::cli::add_replay_command(app);
  sof::cli::add_interview_command(app);
  sof::cli::add_kb_commands(app);
  sof::cli::add_questions_command(app);
  sof::cli::add_say_command(app);
  sof::cli::add_tts_race_command(app);
  sof::cli::add_chaos_command(app);
  sof::cli::add_client_command(app);
  sof::cli::add_loadgen_command(app);
  sof::cli::add_serve_command(app);
  sof::cli::add_token_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const sof::cli::exit_code& e) {
    return e.code;
  } catch (const std::exception& e) {
    return sof::cli::fail(std::string{"unexpected: "} + e.what(), 1);
  }
  return 0;
}
