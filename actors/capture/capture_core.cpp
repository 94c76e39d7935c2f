#include "actors/capture/capture_core.hpp"

#include <algorithm>
#include <string>

namespace sof::capture {

capture_core::capture_core(const config::capture_settings& cfg)
  : cfg_(cfg),
    jitter_(static_cast<uint64_t>(cfg.reorder_window)),
    vad_(cfg.vad_margin_db, cfg.vad_floor_db, 1000 / cfg.frame_ms) {
}

effects capture_core::on_frame(msg::audio_frame frame) {
  effects out;
  if (ended_) {
    ++rejected_;
    out.push_back(msg::frame_rejected{frame.seq, "audio already ended"});
    return out;
  }
  if (frame.pcm.empty() || frame.pcm.size() > max_frame_samples) {
    ++rejected_;
    out.push_back(msg::frame_rejected{
      frame.seq, "frame of " + std::to_string(frame.pcm.size())
                   + " samples; expected 1.." + std::to_string(max_frame_samples)
                   + " (at most 60 ms of PCM16 16 kHz mono)"});
    return out;
  }
  std::vector<msg::audio_frame> ready;
  auto seq = frame.seq;
  if (jitter_.push(std::move(frame), ready)
      == jitter_buffer::verdict::too_far_ahead) {
    ++rejected_;
    out.push_back(msg::frame_rejected{
      seq, "sequence number " + std::to_string(seq) + " is too far ahead of "
             + std::to_string(jitter_.next_seq())});
  }
  for (const auto& f : ready)
    process(f, out);
  return out;
}

effects capture_core::on_end_of_audio() {
  effects out;
  if (ended_)
    return out;
  std::vector<msg::audio_frame> ready;
  jitter_.flush(ready);
  for (const auto& f : ready)
    process(f, out);
  ended_ = true;
  if (state_ == state::speaking)
    close_utterance(out);
  maybe_end_turn(static_cast<int64_t>(samples_ / samples_per_ms), true, out);
  return out;
}

void capture_core::process(const msg::audio_frame& f, effects& out) {
  const int64_t start_ms = static_cast<int64_t>(samples_ / samples_per_ms);
  samples_ += f.pcm.size();
  const int64_t end_ms = static_cast<int64_t>(samples_ / samples_per_ms);
  const int64_t dur_ms = end_ms - start_ms;
  const bool voiced = vad_.classify(f.pcm);

  if (state_ == state::speaking) {
    out.push_back(msg::utterance_audio{next_utt_ - 1, f.pcm});
    if (voiced) {
      last_voiced_end_ms_ = end_ms;
      silence_run_ms_ = 0;
    } else if ((silence_run_ms_ += dur_ms) >= cfg_.utterance_end_ms) {
      close_utterance(out);
    }
    return;
  }

  // Idle: keep a rolling pre-roll and wait for enough voiced time.
  ring_.push_back({start_ms, f.pcm});
  ring_ms_ += dur_ms;
  if (voiced) {
    if (voiced_run_ms_ == 0)
      voiced_run_start_ms_ = start_ms;
    voiced_run_ms_ += dur_ms;
  } else {
    voiced_run_ms_ = 0;
  }
  if (voiced_run_ms_ >= cfg_.speech_start_ms) {
    open_utterance(out);
    last_voiced_end_ms_ = end_ms;
    return;
  }
  const int64_t keep_ms = cfg_.pre_roll_ms + cfg_.speech_start_ms;
  while (ring_.size() > 1
         && ring_ms_ - static_cast<int64_t>(ring_.front().pcm.size()
                                            / samples_per_ms)
              >= keep_ms) {
    ring_ms_ -= static_cast<int64_t>(ring_.front().pcm.size() / samples_per_ms);
    ring_.pop_front();
  }
  maybe_end_turn(end_ms, false, out);
}

void capture_core::open_utterance(effects& out) {
  const uint32_t utt = next_utt_++;
  // Audio of the pre-roll: up to pre_roll_ms before the voiced run began.
  const int64_t from_ms = voiced_run_start_ms_ - cfg_.pre_roll_ms;
  std::vector<int16_t> pcm;
  int64_t begin_ms = -1;
  for (const auto& h : ring_) {
    int64_t h_end = h.start_ms + static_cast<int64_t>(h.pcm.size()
                                                      / samples_per_ms);
    if (h_end <= from_ms)
      continue;
    if (begin_ms < 0)
      begin_ms = h.start_ms;
    pcm.insert(pcm.end(), h.pcm.begin(), h.pcm.end());
  }
  ring_.clear();
  ring_ms_ = 0;
  if (last_voiced_end_ms_ && in_turn_) {
    int64_t pause = voiced_run_start_ms_ - *last_voiced_end_ms_;
    if (pause >= cfg_.pause_min_ms) {
      ++pauses_;
      pause_total_ms_ += pause;
      longest_pause_ms_ = std::max(longest_pause_ms_, pause);
    }
  }
  if (!first_speech_ms_)
    first_speech_ms_ = voiced_run_start_ms_;
  if (!in_turn_) {
    in_turn_ = true;
    ++turns_;
  }
  utt_voiced_start_ms_ = voiced_run_start_ms_;
  state_ = state::speaking;
  silence_run_ms_ = 0;
  voiced_run_ms_ = 0;
  ++utterances_;
  out.push_back(msg::speech_started{utt, voiced_run_start_ms_});
  out.push_back(msg::utterance_begin{utt, begin_ms < 0 ? 0 : begin_ms});
  out.push_back(msg::utterance_audio{utt, std::move(pcm)});
}

void capture_core::close_utterance(effects& out) {
  const int64_t end = last_voiced_end_ms_.value_or(utt_voiced_start_ms_);
  speaking_ms_ += std::max<int64_t>(0, end - utt_voiced_start_ms_);
  out.push_back(msg::utterance_end{next_utt_ - 1, end});
  state_ = state::idle;
  silence_run_ms_ = 0;
}

void capture_core::maybe_end_turn(int64_t now_ms, bool end_of_audio,
                                  effects& out) {
  if (!in_turn_ || !last_voiced_end_ms_)
    return;
  int64_t silence = now_ms - *last_voiced_end_ms_;
  if (!end_of_audio && silence < cfg_.end_of_turn_ms)
    return;
  in_turn_ = false;
  out.push_back(
    msg::turn_ended{next_turn_++, *last_voiced_end_ms_, silence, end_of_audio});
}

msg::delivery_stats capture_core::delivery(uint32_t words) const {
  msg::delivery_stats d;
  d.audio_seconds = static_cast<double>(samples_) / 16000.0;
  d.speaking_seconds = speaking_ms_ / 1000.0;
  d.time_to_first_speech_seconds = first_speech_ms_.value_or(0) / 1000.0;
  d.utterances = utterances_;
  d.turns = turns_;
  d.pauses = pauses_;
  d.longest_pause_seconds = longest_pause_ms_ / 1000.0;
  d.mean_pause_seconds = pauses_ ? pause_total_ms_ / 1000.0 / pauses_ : 0.0;
  d.words = words;
  d.words_per_minute = (words && speaking_ms_ > 0)
                         ? words / (speaking_ms_ / 60000.0)
                         : 0.0;
  return d;
}

msg::capture_counters capture_core::counters() const {
  auto c = jitter_.counters();
  c.rejected = rejected_;
  return c;
}

}  // namespace sof::capture
