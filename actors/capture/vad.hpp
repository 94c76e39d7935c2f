#pragma once
// Energy voice-activity detection with an adaptive noise floor. The floor is
// a low percentile of recent frame energies, which follows background noise
// up and down but stays under speech, because even continuous speech has
// low-energy gaps between syllables.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace sof::capture {

class vad {
 public:
  /// `margin_db`: speech must exceed the floor by this much;
  /// `floor_db`: absolute energy below which nothing is speech.
  vad(double margin_db, double floor_db, int frames_per_second = 50);

  /// Classifies one frame; returns true for speech.
  bool classify(std::span<const int16_t> pcm);

  double last_db() const { return last_db_; }
  double noise_floor_db() const;
  double threshold_db() const;

  /// Frame energy in dBFS (-100 for digital silence).
  static double energy_db(std::span<const int16_t> pcm);

 private:
  static constexpr int min_db = -100;
  static constexpr int bins = 101;  // 1 dB bins over [-100, 0]
  double margin_db_;
  double floor_db_;
  std::vector<uint8_t> history_;  // ring of bin indices (last ~3 s)
  std::size_t head_ = 0;
  std::size_t filled_ = 0;
  std::array<uint32_t, bins> counts_{};
  double last_db_ = min_db;
};

}  // namespace sof::capture
