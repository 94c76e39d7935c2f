#pragma once
// The actor that owns the second-pass recogniser (a remote provider made
// through the stt registry). Blocking HTTP, so it runs detached in
// production; it answers second_pass_request with second_pass_answer or
// second_pass_failed, one request at a time, in order.
#include "actors/supervision/fault_injection.hpp"
#include "config/settings.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>

namespace sof::transcription {

/// What a second-pass HTTP call may take beyond the deadline: an answer in
/// this margin is still counted (as late) rather than cut off as a failure.
constexpr std::chrono::milliseconds second_pass_margin{500};

struct second_pass_worker_options {
  // Provider settings: `provider` is the second-pass recogniser's name and
  // its timeout is already capped (second_pass_settings()).
  config::stt_settings stt;
  supervision::fault_injector faults;  // target "stt.second_pass"
  bool detached = true;  // false only under the deterministic test scheduler
};

/// The provider settings of the second pass: [stt] with `provider` set to
/// [stt] second_pass, and the HTTP timeout capped at deadline + margin, so
/// that a hung server ties the worker up for at most that long per request.
config::stt_settings second_pass_settings(const config::stt_settings& stt);

/// Spawns a worker linked to `parent`, which receives its answers.
caf::actor spawn_second_pass_worker(caf::local_actor* parent,
                                    const second_pass_worker_options& opts);

}  // namespace sof::transcription
