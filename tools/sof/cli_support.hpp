#pragma once
// Pieces every subcommand shares: configuration loading with CLI overrides,
// the one-line error convention, and JSON forms of engine results.
#include "actors/grading/rubric_engine.hpp"
#include "actors/messages/messages.hpp"
#include "actors/supervision/fault_injection.hpp"
#include "config/settings.hpp"

#include <CLI/CLI.hpp>
#include <caf/error.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace sof::cli {

/// Options common to commands that run sessions.
struct common_options {
  std::string config_path;
  std::string log_level;
  std::string chaos;
  std::optional<uint64_t> seed;
  void add_to(CLI::App* cmd, bool with_chaos = true);
};

/// Loads settings and applies CLI overrides; prints nothing.
caf::expected<config::settings> load_settings(const common_options& o);

/// What every session-running command starts from. When exit_code is not
/// 0 the error has been printed (1: configuration, 2: chaos spec) and the
/// command returns that code.
struct run_setup {
  config::settings settings;
  supervision::fault_injector faults;
  int exit_code = 0;
};
run_setup load_setup(const common_options& o);

/// Parses the effective chaos spec (CLI over configuration).
caf::expected<supervision::fault_injector>
make_injector(const config::settings& s);

/// Whether `path` can be written (its directory exists, it is not a
/// directory, permissions allow it): checked before long work, not after.
caf::error check_writable(const std::string& path);

/// On SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT: one line naming the
/// signal and a raw backtrace on stderr, then the default action (the exit
/// status and any core dump stay as they were). A crash in a test or on a
/// server then says where it happened. Not installed in sanitizer builds,
/// whose own reports are better.
void install_crash_reporter();

/// The grading engine of every command: the knowledge base's embedder and
/// citations, relevance judged against the system-design questions of
/// `bank`, and rubric words matched by sound in recognised speech through
/// the recogniser's pronunciation dictionaries (a warning, and no matching
/// by sound, when they cannot be read).
std::shared_ptr<const grading::rubric_engine>
grading_engine(std::shared_ptr<const retrieval::retriever> kb, const config::question_bank& bank,
               const config::settings& settings);

/// Prints "sof: error: <what>" to stderr and returns the exit code.
int fail(const caf::error& err, int code = 1);
int fail(const std::string& what, int code = 1);


/// Thrown by subcommand callbacks to set the process exit code.
struct exit_code {
  int code;
};

}  // namespace sof::cli
