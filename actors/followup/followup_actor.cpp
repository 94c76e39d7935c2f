#include "actors/followup/followup_actor.hpp"

#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/followup/followup_policy.hpp"
#include "actors/grading/grading_messages.hpp"
#include "actors/grading/live_coverage.hpp"

#include <caf/all.hpp>

#include <optional>

namespace sof::followup {
namespace {

struct followup_state {
  std::shared_ptr<const grading::rubric_engine> engine;
  std::shared_ptr<const config::question> question;
  std::optional<followup_session> policy;
  int64_t last_turn_end_ms = 0;
  static inline const char* name = "followup";
};

using self_t = caf::stateful_actor<followup_state>;

caf::behavior followup_impl(self_t* self,
                            std::shared_ptr<const grading::rubric_engine> engine,
                            std::shared_ptr<const config::question> question) {
  auto& st = self->state;
  st.engine = std::move(engine);
  st.question = std::move(question);
  st.policy.emplace(*st.question);
  harden(self, log::get("followup"), "followup");
  return {
    [=](msg::followup_atom, std::vector<msg::transcript_segment>& segments,
        msg::turn_ended& turn) -> msg::followup_question {
      auto& st = self->state;
      auto lines = grading::to_lines(segments);
      std::vector<grading::transcript_line> last;
      for (const auto& l : lines)
        if (l.end_ms > st.last_turn_end_ms)
          last.push_back(l);
      st.last_turn_end_ms = turn.at_ms + turn.silence_ms;
      auto cov = grading::cover(*st.engine, *st.question, st.engine->prepare(lines));
      delivery_signals signals;
      signals.silence_s = turn.silence_ms / 1000.0;
      auto d = st.policy->on_turn((turn.at_ms + turn.silence_ms) / 1000.0, cov,
                                  last, signals);
      return msg::followup_question{turn.turn, std::string{to_string(d.act)},
                                    d.text, d.point_id, d.phase, d.reason,
                                    turn.at_ms + turn.silence_ms};
    },
  };
}

}  // namespace

caf::actor spawn_followup(caf::local_actor* parent,
                          std::shared_ptr<const grading::rubric_engine> engine,
                          std::shared_ptr<const config::question> question) {
  return parent->spawn<caf::linked>(followup_impl, std::move(engine),
                                    std::move(question));
}

}  // namespace sof::followup
