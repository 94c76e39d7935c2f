#include "actors/providers/tts/pcm_chunker.hpp"

#include <samplerate.h>

#include <algorithm>
#include <cassert>
#include <cmath>

namespace sof::tts {

struct pcm_chunker::resampler {
  SRC_STATE* state = nullptr;
  double ratio = 1.0;
  std::vector<float> in;
  std::vector<float> out;
  ~resampler() {
    if (state)
      src_delete(state);
  }
};

pcm_chunker::pcm_chunker(int input_rate, int chunk_ms, chunk_sink sink)
  : chunk_samples_(static_cast<std::size_t>(sample_rate / 1000 * chunk_ms)),
    sink_(std::move(sink)) {
  assert(input_rate > 0 && chunk_ms > 0);
  if (input_rate != sample_rate) {
    src_ = std::make_unique<resampler>();
    int err = 0;
    // SINC_FASTEST: speech out of a 22 kHz synthesiser loses nothing audible
    // and the better converters cost several times more CPU per chunk.
    src_->state = src_new(SRC_SINC_FASTEST, 1, &err);
    assert(src_->state && "libsamplerate refused a mono converter");
    src_->ratio = static_cast<double>(sample_rate) / input_rate;
  }
}

pcm_chunker::~pcm_chunker() = default;

bool pcm_chunker::emit_full_chunks() {
  std::size_t at = 0;
  while (!cancelled_ && pending_.size() - at >= chunk_samples_) {
    if (!sink_(std::span<const int16_t>{pending_.data() + at, chunk_samples_}))
      cancelled_ = true;
    delivered_ += chunk_samples_;
    at += chunk_samples_;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(at));
  return !cancelled_;
}

bool pcm_chunker::resample(std::span<const int16_t> pcm, bool last) {
  auto& r = *src_;
  r.in.resize(pcm.size());
  for (std::size_t i = 0; i < pcm.size(); ++i)
    r.in[i] = pcm[i] / 32768.0f;
  std::size_t consumed = 0;
  do {
    r.out.resize(static_cast<std::size_t>(
                   std::ceil((pcm.size() - consumed) * r.ratio))
                 + 256);
    SRC_DATA d{};
    d.data_in = r.in.data() + consumed;
    d.input_frames = static_cast<long>(pcm.size() - consumed);
    d.data_out = r.out.data();
    d.output_frames = static_cast<long>(r.out.size());
    d.src_ratio = r.ratio;
    d.end_of_input = last ? 1 : 0;
    if (src_process(r.state, &d) != 0)
      return false;
    consumed += static_cast<std::size_t>(d.input_frames_used);
    for (long i = 0; i < d.output_frames_gen; ++i) {
      float v = std::clamp(r.out[i] * 32768.0f, -32768.0f, 32767.0f);
      pending_.push_back(static_cast<int16_t>(std::lrint(v)));
    }
    if (d.output_frames_gen == 0 && d.input_frames_used == 0)
      break;  // converter holds the rest as its filter history
  } while (consumed < pcm.size());
  return true;
}

bool pcm_chunker::push(std::span<const int16_t> pcm) {
  if (cancelled_)
    return false;
  if (src_) {
    if (!resample(pcm, false))
      return false;
  } else {
    pending_.insert(pending_.end(), pcm.begin(), pcm.end());
  }
  return emit_full_chunks();
}

bool pcm_chunker::finish() {
  if (cancelled_)
    return false;
  if (src_) {
    // Drain the filter tail: end_of_input with no new samples, repeated
    // until the converter has nothing more to give.
    for (int i = 0; i < 8; ++i) {
      auto before = pending_.size();
      if (!resample({}, true) || pending_.size() == before)
        break;
    }
  }
  if (!emit_full_chunks())
    return false;
  if (!pending_.empty()) {
    if (!sink_(std::span<const int16_t>{pending_.data(), pending_.size()}))
      cancelled_ = true;
    delivered_ += pending_.size();
    pending_.clear();
  }
  return !cancelled_;
}

}  // namespace sof::tts
