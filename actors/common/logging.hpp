#pragma once
// One named spdlog logger per subsystem. Every line carries the tenant and
// session it belongs to: callers hold a log_context and prefix with it.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

namespace sof::log {

/// Returns (creating on first use) the logger for a subsystem, e.g. "capture".
std::shared_ptr<spdlog::logger> get(std::string_view subsystem);

/// Sets the level of every logger, present and future ("warn", "info", ...).
void set_level(std::string_view level);

/// The "t=<tenant> s=<session>" prefix that goes on every session line.
struct context {
  std::string tenant = "local";
  std::string session = "-";
  std::string tag() const { return "t=" + tenant + " s=" + session; }
};

}  // namespace sof::log
