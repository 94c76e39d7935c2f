#include "tools/sof/cli_support.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"

#include <unistd.h>

#include <cstdio>
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

int fail(const caf::error& err, int code) {
  return fail(describe(err), code);
}

int fail(const std::string& what, int code) {
  std::fprintf(stderr, "sof: error: %s\n", what.c_str());
  return code;
}

}  // namespace sof::cli
