#include "actors/common/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace sof {

progress::progress(std::string label, std::size_t total, bool enabled)
  : label_(std::move(label)),
    total_(total),
    enabled_(enabled),
    tty_(isatty(STDERR_FILENO) != 0),
    start_(std::chrono::steady_clock::now()) {
}

progress::~progress() {
  if (enabled_ && tty_ && !finished_)
    std::fputc('\n', stderr);
}

void progress::update(std::size_t done, const std::string& note) {
  if (!enabled_ || total_ == 0)
    return;
  auto now = std::chrono::steady_clock::now();
  double frac = std::min(1.0, static_cast<double>(done) / total_);
  if (tty_) {
    // Redraw at most ~20 times a second: drawing must not cost the work.
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(50))
      return;
    last_draw_ = now;
    constexpr int width = 30;
    int filled = static_cast<int>(frac * width);
    std::string bar(filled, '#');
    bar.resize(width, '.');
    double secs = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r%s [%s] %3d%% %5.1fs %s\x1b[K", label_.c_str(),
                 bar.c_str(), static_cast<int>(frac * 100), secs,
                 note.c_str());
    std::fflush(stderr);
  } else {
    int decile = static_cast<int>(frac * 10);
    if (decile == last_decile_)
      return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %d%% %s\n", label_.c_str(), decile * 10,
                 note.c_str());
  }
}

void progress::finish(const std::string& note) {
  if (!enabled_ || finished_)
    return;
  update(total_, note);
  finished_ = true;
  if (tty_)
    std::fputc('\n', stderr);
}

}  // namespace sof
