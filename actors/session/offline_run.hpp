#pragma once
// Runs one session over audio already in memory: cuts it into frames, feeds
// them through the real actor tree (as fast as the tree accepts them, or in
// real time), ends the audio and waits for the summary. Used by the CLI and
// by integration tests, so both exercise exactly the same path.
#include "actors/messages/messages.hpp"
#include "actors/session/session_actor.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <vector>

namespace caf {
class actor_system;
class actor_system_config;
}  // namespace caf

namespace sof::session {

struct offline_run {
  int frame_ms = 20;
  bool realtime = false;
  std::function<void(const msg::transcript_partial&)> on_partial;
  std::function<void(const msg::transcript_segment&)> on_segment;
  std::function<void(const msg::provider_restarted&)> on_restart;
  std::function<void(const msg::followup_question&)> on_followup;
  std::function<void(const msg::turn_ended&)> on_turn_end;
  std::function<void(const msg::provider_escalated&)> on_escalated;
};

caf::expected<msg::session_summary>
run_offline(caf::actor_system& sys, session_options opts,
            const std::vector<int16_t>& pcm, const offline_run& run);

/// A typed answer instead of audio: paragraphs are turns, sentences become
/// transcript segments on a synthetic timeline at `words_per_minute`, and a
/// turn ends with `turn_gap_ms` of silence.
struct typed_answer {
  std::vector<std::string> paragraphs;
  double words_per_minute = 150;
  int64_t turn_gap_ms = 3000;
};

caf::expected<msg::session_summary>
run_offline_text(caf::actor_system& sys, session_options opts,
                 const typed_answer& answer, const offline_run& run);

/// Splits text into paragraphs (blank lines) for run_offline_text.
typed_answer parse_typed_answer(const std::string& text);

/// The CAF configuration every sof process uses: message types registered,
/// CAF's own logger silenced (spdlog is ours).
void prepare_actor_config(caf::actor_system_config& cfg);

}  // namespace sof::session
