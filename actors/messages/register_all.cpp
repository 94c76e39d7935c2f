#include "actors/messages/messages.hpp"

#include "actors/common/errors.hpp"

#include <caf/actor_system_config.hpp>

namespace sof::msg {
namespace {

template <class... Ts>
void add_all(caf::actor_system_config& cfg, type_list<Ts...>) {
  (cfg.add_message_type<Ts>(Ts::name), ...);
}

}  // namespace

void register_all(caf::actor_system_config& cfg) {
  add_all(cfg, all_messages{});
  cfg.add_message_type<std::vector<transcript_segment>>(
    "std::vector<transcript_segment>");
  register_error_category(cfg);
}

}  // namespace sof::msg
