#pragma once
// A terminal progress bar for long-running commands. On a terminal it
// redraws one line on stderr; otherwise it prints a plain line every 10%.
#include <chrono>
#include <cstddef>
#include <string>

namespace sof {

class progress {
 public:
  progress(std::string label, std::size_t total, bool enabled = true);
  ~progress();
  void update(std::size_t done, const std::string& note = {});
  void finish(const std::string& note = {});

 private:
  std::string label_;
  std::size_t total_;
  bool enabled_;
  bool tty_;
  bool finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace sof
