#include "actors/common/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace sof::log {
namespace {

std::mutex mtx;
spdlog::level::level_enum current_level = spdlog::level::warn;

}  // namespace

std::shared_ptr<spdlog::logger> get(std::string_view subsystem) {
  std::lock_guard<std::mutex> guard{mtx};
  std::string name{subsystem};
  if (auto existing = spdlog::get(name))
    return existing;
  // Logs go to stderr so that stdout stays machine-readable (--json).
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  logger->set_level(current_level);
  return logger;
}

void set_level(std::string_view level) {
  std::lock_guard<std::mutex> guard{mtx};
  current_level = spdlog::level::from_str(std::string{level});
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) {
    l->set_level(current_level);
  });
}

}  // namespace sof::log
