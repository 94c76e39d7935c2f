#include "actors/followup/followup_actor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/followup/followup_policy.hpp"
#include "actors/grading/grading_messages.hpp"
#include "actors/grading/live_coverage.hpp"

#include <caf/all.hpp>

#include <map>
#include <optional>
#include <stdexcept>

namespace sof::followup {
namespace {

struct followup_state {
  followup_options opts;
  std::optional<followup_session> policy;
  int64_t last_turn_end_ms = 0;
  // An injected hang keeps the promise, so the caller sees silence exactly
  // like an agent stuck in a loop, until its own deadline passes.
  std::vector<caf::response_promise> hung;
  // Answers held back by an injected delay, by turn; released by a timer so
  // that a delay never blocks a scheduler thread.
  std::map<uint32_t, std::pair<caf::response_promise, msg::followup_question>> delayed;
  static inline const char* name = "followup";
};

using self_t = caf::stateful_actor<followup_state>;

msg::followup_question decide(followup_state& st, const std::vector<msg::transcript_segment>& segments,
                              const msg::turn_ended& turn) {
  auto lines = grading::to_lines(segments);
  std::vector<grading::transcript_line> last;
  for (const auto& l : lines)
    if (l.end_ms > st.last_turn_end_ms)
      last.push_back(l);
  st.last_turn_end_ms = turn.at_ms + turn.silence_ms;
  const auto& engine = *st.opts.engine;
  auto cov = grading::cover(engine, *st.opts.question, engine.prepare(lines));
  delivery_signals signals;
  signals.silence_s = turn.silence_ms / 1000.0;
  auto d = st.policy->on_turn((turn.at_ms + turn.silence_ms) / 1000.0, cov, last, signals);
  return msg::followup_question{turn.turn, std::string{to_string(d.act)}, d.text, d.point_id,
                                d.phase, d.reason, turn.at_ms + turn.silence_ms};
}

caf::behavior followup_impl(self_t* self, followup_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.policy.emplace(*st.opts.question);
  harden(self, log::get("followup"), "followup");
  exit_on_exception_with_error(self);
  return {
    [=](msg::followup_atom, std::vector<msg::transcript_segment>& segments,
        msg::turn_ended& turn) -> caf::result<msg::followup_question> {
      auto& st = self->state;
      auto plan = st.opts.faults.plan("followup", turn.turn, 0);
      if (plan.crash)
        throw std::runtime_error("injected fault: followup crash");
      if (plan.hang) {
        st.hung.push_back(self->make_response_promise());
        return caf::delegated<msg::followup_question>{};
      }
      if (plan.error)
        return make_error(errc::provider_failed, "injected fault: followup error");
      auto q = decide(st, segments, turn);
      if (plan.garbage) {
        q.action = supervision::garbage_text(turn.turn).substr(0, 16);
        q.text = supervision::garbage_text(turn.turn + 1);
      }
      if (plan.delay.count() == 0)
        return q;
      st.delayed[turn.turn] = {self->make_response_promise(), std::move(q)};
      self->delayed_send(self, plan.delay, msg::followup_atom::value, turn.turn);
      return caf::delegated<msg::followup_question>{};
    },
    [=](msg::followup_atom, uint32_t turn) {  // an injected delay is over
      auto& st = self->state;
      if (auto i = st.delayed.find(turn); i != st.delayed.end()) {
        i->second.first.deliver(std::move(i->second.second));
        st.delayed.erase(i);
      }
    },
  };
}

}  // namespace

caf::actor spawn_followup(caf::local_actor* parent, followup_options opts) {
  return parent->spawn<caf::linked>(followup_impl, std::move(opts));
}

}  // namespace sof::followup
