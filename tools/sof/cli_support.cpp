#include "tools/sof/cli_support.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "actors/providers/stt/pocketsphinx/pocketsphinx_provider.hpp"

#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace sof::cli {

void common_options::add_to(CLI::App* cmd, bool with_chaos) {
  cmd->add_option("--config", config_path,
                  "TOML file overriding config/sof.toml");
  cmd->add_option("--log-level", log_level,
                  "trace|debug|info|warn|error|off (default from config)");
  if (with_chaos) {
    cmd->add_option("--chaos", chaos,
                    "fault injection, e.g. stt.crash=0.3,stt.delay=200ms");
    cmd->add_option("--seed", seed, "seed for reproducible fault injection");
  }
}

caf::error check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p{path};
  std::error_code ec;
  if (fs::is_directory(p, ec))
    return make_error(errc::io_error, path + " is a directory");
  auto dir = p.has_parent_path() ? p.parent_path() : fs::path{"."};
  if (!fs::is_directory(dir, ec))
    return make_error(errc::io_error, "cannot write " + path + ": directory "
                                        + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0
      || (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0))
    return make_error(errc::io_error, "cannot write " + path + ": permission denied");
  return {};
}

caf::expected<config::settings> load_settings(const common_options& o) {
  auto s = config::load(o.config_path);
  if (!s)
    return s.error();
  if (!o.log_level.empty())
    s->log_level = o.log_level;
  if (!o.chaos.empty())
    s->chaos.spec = o.chaos;
  if (o.seed)
    s->chaos.seed = *o.seed;
  static const char* levels[] = {"trace", "debug", "info", "warn",
                                 "error", "critical", "off"};
  if (std::find(std::begin(levels), std::end(levels), s->log_level)
      == std::end(levels))
    return make_error(errc::invalid_config,
                      "log level '" + s->log_level + "' is not one of "
                      "trace, debug, info, warn, error, off");
  log::set_level(s->log_level);
  return s;
}

run_setup load_setup(const common_options& o) {
  run_setup out;
  auto s = load_settings(o);
  if (!s) {
    out.exit_code = fail(s.error());
    return out;
  }
  out.settings = std::move(*s);
  auto faults = make_injector(out.settings);
  if (!faults) {
    out.exit_code = fail(faults.error(), 2);
    return out;
  }
  out.faults = std::move(*faults);
  return out;
}

caf::expected<supervision::fault_injector>
make_injector(const config::settings& s) {
  auto spec = supervision::fault_spec::parse(s.chaos.spec);
  if (!spec)
    return spec.error();
  return supervision::fault_injector{std::move(*spec), s.chaos.seed};
}

std::shared_ptr<const grading::rubric_engine>
grading_engine(std::shared_ptr<const retrieval::retriever> kb, const config::question_bank& bank,
               const config::settings& settings) {
  grading::engine_options opts;
  opts.recognised_retention = settings.grading.recognised_retention;
  opts.recognised_topic_retention = settings.grading.recognised_topic_retention;
  auto engine = grading::kb_engine(std::move(kb), bank, opts);
  const auto paths = stt::resolve_paths(settings.stt.pocketsphinx);
  std::vector<std::filesystem::path> dicts{paths.dict};
  if (!paths.domain_dict.empty())
    dicts.emplace_back(paths.domain_dict);
  auto phonetics = grading::phonetic_index::load(dicts);
  if (!phonetics) {
    log::get("grading")->warn("rubric words are not matched by sound: {}",
                              describe(phonetics.error()));
    return engine;
  }
  return std::make_shared<const grading::rubric_engine>(
    engine->with_phonetics(std::make_shared<const grading::phonetic_index>(std::move(*phonetics))));
}

int fail(const caf::error& err, int code) {
  return fail(describe(err), code);
}

int fail(const std::string& what, int code) {
  std::fprintf(stderr, "sof: error: %s\n", what.c_str());
  return code;
}

namespace {

void write_err(const char* text) {
  auto n = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)n;
}

// Async-signal-safe apart from backtrace(), whose first call may load
// libgcc: install_crash_reporter() makes that call up front.
void on_fatal_signal(int sig) {
  write_err("sof: fatal signal ");
  char num[4] = {static_cast<char>('0' + sig / 10 % 10), static_cast<char>('0' + sig % 10),
                 '\n', '\0'};
  write_err(num[0] == '0' ? num + 1 : num);
  write_err("sof: backtrace (addr2line -C -f -e <binary> <offset> names the lines):\n");
  void* frames[64];
  backtrace_symbols_fd(frames, backtrace(frames, 64), STDERR_FILENO);
  ::signal(sig, SIG_DFL);  // SA_RESETHAND did this already; be explicit
  ::raise(sig);
}

}  // namespace

void install_crash_reporter() {
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  void* warm[2];
  backtrace(warm, 2);
  // A stack overflow on the main thread has no stack left to run the
  // handler on; give it one.
  static char alt_stack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = alt_stack;
  ss.ss_size = sizeof alt_stack;
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    ::sigaction(sig, &sa, nullptr);
#endif
}

}  // namespace sof::cli
