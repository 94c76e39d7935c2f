#include "actors/common/errors.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/message.hpp>
#include <caf/make_message.hpp>

namespace sof {

const char* to_string(errc x) {
  switch (x) {
    case errc::none: return "none";
    case errc::invalid_argument: return "invalid argument";
    case errc::invalid_config: return "invalid configuration";
    case errc::io_error: return "I/O error";
    case errc::bad_audio: return "bad audio";
    case errc::bad_frame: return "bad frame";
    case errc::provider_failed: return "provider failed";
    case errc::provider_crashed: return "provider crashed";
    case errc::provider_timeout: return "provider timed out";
    case errc::escalated: return "supervisor escalated";
    case errc::corrupt_data: return "corrupt data";
    case errc::not_found: return "not found";
    case errc::unsupported: return "unsupported";
  }
  return "unknown error";
}

caf::error make_error(errc code, std::string context) {
  return caf::error{static_cast<uint8_t>(code), error_category,
                    caf::make_message(std::move(context))};
}

caf::error make_error(errc code) {
  return caf::error{static_cast<uint8_t>(code), error_category};
}

namespace {

std::string render(uint8_t code, const caf::message& ctx) {
  std::string out = to_string(static_cast<errc>(code));
  if (ctx.size() == 1 && ctx.match_element<std::string>(0)) {
    out += ": ";
    out += ctx.get_as<std::string>(0);
  }
  return out;
}

}  // namespace

void register_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(error_category,
                         [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return render(code, ctx);
                         });
}

bool is_permanent(const caf::error& err) {
  // CAF 0.17: category() of an empty error dereferences null, hence err first.
  if (!err || err.category() != error_category)
    return false;
  auto code = static_cast<errc>(err.code());
  return code == errc::invalid_config || code == errc::not_found;
}

std::string describe(const caf::error& err) {
  if (!err)
    return "no error";
  if (err.category() == error_category)
    return render(err.code(), err.context());
  return caf::to_string(err);
}

}  // namespace sof
