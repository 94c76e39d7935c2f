#pragma once
// Reorders audio frames by sequence number within a window and drops
// duplicates, so that a network that reorders or repeats (reconnects resend
// unacknowledged frames) never duplicates or scrambles what the candidate
// said. A frame still missing when the window is exceeded is declared a gap
// and replaced by silence of the same length, keeping the timeline intact.
#include "actors/messages/messages.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace sof::capture {

class jitter_buffer {
 public:
  enum class verdict { accepted, duplicate, late, too_far_ahead };

  /// `window`: how many frames beyond the next expected one may be held.
  /// `max_jump`: a sequence number further ahead than this is refused
  /// (a corrupt or hostile client), rather than declaring millions of gaps.
  explicit jitter_buffer(uint64_t window, uint64_t max_jump = 1u << 16);

  /// Adds a frame; frames that became contiguous are appended to `out`.
  verdict push(msg::audio_frame frame, std::vector<msg::audio_frame>& out);

  /// Releases everything held, filling gaps with silence (end of audio).
  void flush(std::vector<msg::audio_frame>& out);

  /// The next sequence number expected: all below it are released.
  uint64_t next_seq() const { return next_; }
  std::size_t held() const { return pending_.size(); }
  const msg::capture_counters& counters() const { return counters_; }

 private:
  void release_contiguous(std::vector<msg::audio_frame>& out);
  void skip_one(std::vector<msg::audio_frame>& out);

  uint64_t window_;
  uint64_t max_jump_;
  uint64_t next_ = 0;
  std::size_t last_len_ = 320;  // length used to fill a gap with silence
  std::map<uint64_t, msg::audio_frame> pending_;
  std::set<uint64_t> skipped_;  // recent gaps, to tell "late" from "duplicate"
  msg::capture_counters counters_;
};

}  // namespace sof::capture
