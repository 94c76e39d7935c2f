#include "actors/grading/coverage_actor.hpp"

#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/grading_messages.hpp"
#include "actors/grading/live_coverage.hpp"

#include <caf/all.hpp>

namespace sof::grading {
namespace {

caf::behavior coverage_impl(caf::event_based_actor* self,
                            std::shared_ptr<const rubric_engine> engine,
                            std::shared_ptr<const config::question> question) {
  harden(self, log::get("coverage"), "coverage");
  return {
    [=](msg::coverage_atom, const std::vector<msg::transcript_segment>& segments) {
      auto ev = engine->prepare(to_lines(segments));
      return summarize_coverage(*question, cover(*engine, *question, ev));
    },
  };
}

}  // namespace

caf::actor spawn_coverage(caf::local_actor* parent,
                          std::shared_ptr<const rubric_engine> engine,
                          std::shared_ptr<const config::question> question) {
  return parent->spawn<caf::linked>(coverage_impl, std::move(engine),
                                    std::move(question));
}

}  // namespace sof::grading
