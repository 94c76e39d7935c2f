#pragma once
// The project's error enum, registered with CAF as its own error category so
// that failures travel between actors as values (caf::error / caf::expected).
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <string>

namespace caf {
class actor_system_config;
}

namespace sof {

enum class errc : uint8_t {
  none = 0,
  invalid_argument,    // a caller passed something out of range
  invalid_config,      // configuration that cannot work; start-up stops
  io_error,            // a file or socket could not be read or written
  bad_audio,           // audio we cannot decode or that violates limits
  bad_frame,           // a malformed or out-of-window audio frame
  provider_failed,     // a provider returned an error
  provider_crashed,    // a provider actor died
  provider_timeout,    // a provider did not answer within its deadline
  escalated,           // a supervisor gave up after its restart intensity
  corrupt_data,        // persisted data failed validation (journal, index)
  not_found,
  unsupported,
};

const char* to_string(errc x);

/// The CAF category atom for sof::errc.
constexpr caf::atom_value error_category = caf::atom("sof");

caf::error make_error(errc code, std::string context);
caf::error make_error(errc code);

/// Registers the renderer for the "sof" error category with CAF.
void register_error_category(caf::actor_system_config& cfg);

/// True when retrying cannot help: a provider that could not be created
/// because its configuration is invalid or a file it needs is missing.
/// Supervisors escalate these at once instead of restarting.
bool is_permanent(const caf::error& err);

/// Human-readable one-liner for any caf::error, sof or not.
std::string describe(const caf::error& err);

}  // namespace sof
