#include "actors/common/harden.hpp"

#include "actors/common/errors.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace sof {

void harden(caf::scheduled_actor* self, std::shared_ptr<spdlog::logger> log,
            std::string tag) {
  self->set_default_handler(
    [log, tag](caf::scheduled_actor* s,
               caf::message_view& x) -> caf::result<caf::message> {
      log->warn("{} actor {} dropped unexpected message {}", tag, s->id(),
                caf::to_string(x.content()));
      // The sender learns about it as an error message; its own hardened
      // error handler logs it rather than dying.
      return caf::sec::unexpected_message;
    });
  self->set_error_handler([log, tag](caf::scheduled_actor* s, caf::error& err) {
    log->warn("{} actor {} received error message: {}", tag, s->id(),
              describe(err));
  });
}

void exit_on_exception_with_error(caf::scheduled_actor* self) {
  self->set_exception_handler(
    [](caf::scheduled_actor*, std::exception_ptr& eptr) -> caf::error {
      try {
        std::rethrow_exception(eptr);
      } catch (const std::exception& e) {
        return make_error(errc::provider_crashed, e.what());
      } catch (...) {
        return make_error(errc::provider_crashed, "unknown exception");
      }
    });
}

}  // namespace sof
