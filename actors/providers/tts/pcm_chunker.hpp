#pragma once
// Turns whatever a synthesiser produces (any rate, any block size) into
// PCM16 16 kHz chunks of a fixed duration. Resamples with libsamplerate in
// streaming mode, so a provider can push audio as it is made and the first
// chunk leaves as soon as it is full.
#include "actors/providers/tts/tts_provider.hpp"

#include <memory>
#include <span>
#include <vector>

namespace sof::tts {

class pcm_chunker {
 public:
  /// `input_rate` of the pushed audio; chunks of `chunk_ms` go to `sink`.
  pcm_chunker(int input_rate, int chunk_ms, chunk_sink sink);
  ~pcm_chunker();
  pcm_chunker(const pcm_chunker&) = delete;
  pcm_chunker& operator=(const pcm_chunker&) = delete;

  /// Adds audio; false once the sink cancelled (further pushes are ignored).
  bool push(std::span<const int16_t> pcm);

  /// Flushes the resampler and the last partial chunk.
  bool finish();

  bool cancelled() const { return cancelled_; }
  /// Samples (16 kHz) handed to the sink so far.
  std::size_t delivered() const { return delivered_; }

 private:
  bool resample(std::span<const int16_t> pcm, bool last);
  bool emit_full_chunks();

  struct resampler;
  std::unique_ptr<resampler> src_;  // null when input_rate is 16 kHz
  std::size_t chunk_samples_;
  chunk_sink sink_;
  std::vector<int16_t> pending_;
  std::size_t delivered_ = 0;
  bool cancelled_ = false;
};

}  // namespace sof::tts
