#include "actors/capture/jitter_buffer.hpp"

#include <cassert>

namespace sof::capture {

namespace {
constexpr std::size_t max_remembered_gaps = 4096;
}

jitter_buffer::jitter_buffer(uint64_t window, uint64_t max_jump)
  : window_(window), max_jump_(max_jump) {
  assert(window_ >= 1);
}

jitter_buffer::verdict
jitter_buffer::push(msg::audio_frame frame,
                    std::vector<msg::audio_frame>& out) {
  const uint64_t seq = frame.seq;
  if (seq < next_) {
    if (skipped_.count(seq)) {
      ++counters_.late;
      return verdict::late;
    }
    ++counters_.duplicates;
    return verdict::duplicate;
  }
  if (seq - next_ > max_jump_)
    return verdict::too_far_ahead;
  if (pending_.count(seq)) {
    ++counters_.duplicates;
    return verdict::duplicate;
  }
  if (seq != next_)
    ++counters_.reordered;
  ++counters_.frames;
  pending_.emplace(seq, std::move(frame));
  // Holding more than `window` frames past the hole: give the hole up.
  while (!pending_.empty() && pending_.rbegin()->first - next_ >= window_) {
    release_contiguous(out);
    if (!pending_.empty() && pending_.begin()->first != next_)
      skip_one(out);
  }
  release_contiguous(out);
  return verdict::accepted;
}

void jitter_buffer::flush(std::vector<msg::audio_frame>& out) {
  while (!pending_.empty()) {
    release_contiguous(out);
    if (!pending_.empty())
      skip_one(out);
  }
}

void jitter_buffer::release_contiguous(std::vector<msg::audio_frame>& out) {
  for (auto i = pending_.begin(); i != pending_.end() && i->first == next_;
       i = pending_.erase(i)) {
    last_len_ = i->second.pcm.size();
    out.push_back(std::move(i->second));
    ++next_;
  }
}

void jitter_buffer::skip_one(std::vector<msg::audio_frame>& out) {
  msg::audio_frame silence;
  silence.seq = next_;
  silence.pcm.assign(last_len_, 0);
  out.push_back(std::move(silence));
  skipped_.insert(next_);
  if (skipped_.size() > max_remembered_gaps)
    skipped_.erase(skipped_.begin());
  ++counters_.gaps;
  ++next_;
}

}  // namespace sof::capture
