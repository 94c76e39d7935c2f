#include "actors/capture/vad.hpp"

#include <algorithm>
#include <cmath>

namespace sof::capture {

namespace {
// 10th percentile: quiet enough to sit in the gaps of continuous speech.
constexpr double floor_percentile = 0.10;
// Until this many frames are seen the percentile is meaningless (~0.4 s).
constexpr std::size_t warmup_frames = 20;
}  // namespace

vad::vad(double margin_db, double floor_db, int frames_per_second)
  : margin_db_(margin_db),
    floor_db_(floor_db),
    history_(static_cast<std::size_t>(std::max(10, frames_per_second * 3))) {
}

double vad::energy_db(std::span<const int16_t> pcm) {
  if (pcm.empty())
    return min_db;
  double acc = 0;
  for (int16_t s : pcm)
    acc += static_cast<double>(s) * s;
  double rms = std::sqrt(acc / pcm.size()) / 32768.0;
  if (rms <= 1e-5)
    return min_db;
  return std::max<double>(min_db, 20.0 * std::log10(rms));
}

double vad::noise_floor_db() const {
  if (filled_ == 0)
    return floor_db_ - margin_db_;
  // Before a percentile means anything, the quietest frame so far is the
  // best guess: it keeps steady background noise from opening an utterance
  // in the first moments of a recording.
  auto target = filled_ < warmup_frames
                  ? 0u
                  : static_cast<uint32_t>(filled_ * floor_percentile);
  uint32_t acc = 0;
  for (int b = 0; b < bins; ++b) {
    acc += counts_[b];
    if (acc > target)
      return min_db + b;
  }
  return 0;
}

double vad::threshold_db() const {
  return std::max(floor_db_, noise_floor_db() + margin_db_);
}

bool vad::classify(std::span<const int16_t> pcm) {
  last_db_ = energy_db(pcm);
  bool speech = last_db_ > threshold_db();
  auto bin = static_cast<uint8_t>(
    std::clamp(static_cast<int>(std::lround(last_db_)) - min_db, 0, bins - 1));
  if (filled_ == history_.size())
    --counts_[history_[head_]];
  else
    ++filled_;
  history_[head_] = bin;
  ++counts_[bin];
  head_ = (head_ + 1) % history_.size();
  return speech;
}

}  // namespace sof::capture
