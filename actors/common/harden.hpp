#pragma once
// Makes an actor robust against input it does not expect. CAF 0.17's
// defaults are deadly in a service: an unexpected message is answered with an
// error, and an error message that is not a response makes the receiver quit.
// A hardened actor logs both and keeps running.
#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace sof {

void harden(caf::scheduled_actor* self, std::shared_ptr<spdlog::logger> log,
            std::string tag);

/// For provider-like actors whose exceptions are their crashes: the actor
/// still ends (its supervisor restarts it), with errc::provider_crashed and
/// the exception's message as the exit reason instead of CAF's stderr print.
void exit_on_exception_with_error(caf::scheduled_actor* self);

}  // namespace sof
