#pragma once
// Fault injection for chaos runs and tests: a spec such as
//   "stt.crash=0.3,stt.delay=200ms,stt.hang=0.05,stt.garbage=0.1"
// names a target (stt, stt.second_pass, tts, tts.<provider>, embed, followup,
// grader.<dimension>; docs/chaos.md) and a
// fault. Decisions are a pure function of (seed, target, call, attempt), so a
// run is reproducible with its seed regardless of thread timing.
#include <caf/expected.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sof::supervision {

struct fault_rule {
  double crash = 0;    // probability a call crashes its actor
  double hang = 0;     // probability a call never answers (until cancelled)
  double garbage = 0;  // probability a call returns malformed output
  double error = 0;    // probability a call returns an error value
  std::chrono::milliseconds delay{0};  // added to every call
};

class fault_spec {
 public:
  /// Parses a spec; unknown targets/faults and bad numbers are errors.
  static caf::expected<fault_spec> parse(std::string_view text);

  /// The rule for a target, or nullptr when it is not faulted.
  const fault_rule* find(std::string_view target) const;
  bool empty() const { return rules_.empty(); }
  std::string to_string() const;

  static const std::vector<std::string>& known_targets();

 private:
  std::map<std::string, fault_rule, std::less<>> rules_;
};

struct fault_plan {
  bool crash = false;
  uint32_t crash_after = 0;  // crash at this step of the call (e.g. chunk)
  bool hang = false;
  bool garbage = false;
  bool error = false;
  std::chrono::milliseconds delay{0};
  bool any() const { return crash || hang || garbage || error || delay.count(); }
};

class fault_injector {
 public:
  fault_injector() = default;
  fault_injector(fault_spec spec, uint64_t seed);

  /// The faults for one call: `call` identifies the unit of work (an
  /// utterance, a sentence), `attempt` its retry number.
  fault_plan plan(std::string_view target, uint64_t call,
                  uint32_t attempt) const;

  bool active() const { return !spec_.empty(); }
  const fault_spec& spec() const { return spec_; }

 private:
  fault_spec spec_;
  uint64_t seed_ = 0;
};

/// Text that a broken provider might return: control bytes, invalid UTF-8
/// and an absurd length, so that output validation must catch it.
std::string garbage_text(uint64_t seed);

}  // namespace sof::supervision
