#pragma once
// The chaos lab (`sof chaos`, docs/chaos.md): runs one spoken answer through
// many full interview sessions (capture, transcription, follow-ups, voice,
// six graders) with faults injected, and compares each with a fault-free
// run of the same audio and question: words lost, restarts per actor kind,
// escalations, graders unavailable, verdicts changed, latency. No CLI here:
// the command parses arguments and prints; this runs and aggregates.
#include "actors/grading/rubric_engine.hpp"
#include "actors/supervision/fault_injection.hpp"
#include "config/questions.hpp"
#include "config/settings.hpp"

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace caf {
class actor_system;
}

namespace sof::lab {

struct campaign_options {
  int sessions = 20;
  int concurrency = 2;
  uint64_t seed = 1;
  supervision::fault_spec faults;
  /// Session i answers questions[i % size]; each gets its own baseline.
  std::vector<std::shared_ptr<const config::question>> questions;
  std::vector<int16_t> audio;  // 16 kHz mono: the spoken answer
  config::settings settings;
  std::shared_ptr<const grading::rubric_engine> engine;
  bool voice = true;  // speak follow-ups, so tts faults have something to hit
  /// Called from worker threads (serialised) after each session.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
};

/// One session's run, chaos or fault-free.
struct run_record {
  std::string question_id;
  bool completed = false;  // graded, no session error
  std::string error;
  std::string text;
  std::string verdict;
  double wall_ms = 0;
  std::vector<double> followup_ms;  // end of turn -> decision, per turn
  std::map<std::string, uint32_t> restarts;
  std::map<std::string, uint32_t> absorbed;
  uint32_t escalations = 0;
  uint32_t dimensions = 0;
  uint32_t unavailable = 0;
  uint32_t embed_degraded = 0;
  bool card_consistent = false;  // every dimension ok or listed unavailable
};

struct session_outcome {
  int index = 0;
  uint64_t seed = 0;
  run_record run;
  std::size_t words_lost = 0;  // reference words deleted or substituted
  bool verdict_changed = false;
};

struct campaign_result {
  std::map<std::string, run_record> baselines;  // by question id
  std::vector<session_outcome> sessions;
};

/// Runs the fault-free baselines, then the campaign.
caf::expected<campaign_result> run_campaign(caf::actor_system& sys,
                                            const campaign_options& o);

/// Words of `reference` the hypothesis lost (deleted or substituted).
std::size_t words_lost(const std::string& reference, const std::string& hypothesis);

/// p-th percentile (0..100) by nearest rank; 0 for no values.
double percentile(std::vector<double> v, double p);

/// The --json document (docs/chaos.md), per-session records included.
nlohmann::json to_json(const campaign_result& r, const campaign_options& o);

}  // namespace sof::lab
