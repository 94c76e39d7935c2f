#include "actors/grading/grader_actor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/grading_messages.hpp"

#include <caf/all.hpp>

#include <stdexcept>
#include <thread>

namespace sof::grading {
namespace {

struct grader_state {
  grader_options opts;
  // An injected hang keeps the promise so the caller sees silence, exactly
  // like a grader stuck in a loop, until its deadline passes.
  std::vector<caf::response_promise> hung;
  static inline const char* name = "grader";
};

using self_t = caf::stateful_actor<grader_state>;

caf::behavior grader_impl(self_t* self, grader_options opts) {
  self->state.opts = std::move(opts);
  harden(self, log::get("grading"), "grader." + self->state.opts.dimension);
  exit_on_exception_with_error(self);
  return {
    [=](msg::grade_atom, std::vector<msg::transcript_segment>& segments,
        msg::delivery_stats& delivery) -> caf::result<msg::dimension_result> {
      auto& st = self->state;
      const auto& q = *st.opts.question;
      auto plan = st.opts.faults.plan("grader." + st.opts.dimension, 0,
                                      st.opts.attempt);
      if (plan.crash)
        throw std::runtime_error("injected fault: grader crash");
      if (plan.hang) {
        st.hung.push_back(self->make_response_promise());
        return caf::delegated<msg::dimension_result>{};
      }
      if (plan.delay.count() > 0)
        std::this_thread::sleep_for(plan.delay);
      if (plan.error)
        return make_error(errc::provider_failed, "injected fault: grader error");
      const auto* dim = q.dimension(st.opts.dimension);
      if (!dim)
        return make_error(errc::invalid_argument,
                          "question " + q.id + " has no dimension "
                            + st.opts.dimension);
      // The embedding service is a dependency of grading, not the grader:
      // when it fails (crash, hang past its timeout, error, malformed
      // vectors) the grade is made lexically, with BM25 citations, and says
      // so; it is never lost to a broken embedder.
      auto embed = st.opts.faults.plan(
        "embed", static_cast<uint64_t>(dim - q.dimensions.data()), st.opts.attempt);
      if (embed.delay.count() > 0)
        std::this_thread::sleep_for(embed.delay);
      std::string degraded;
      if (embed.crash || embed.hang || embed.error || embed.garbage)
        degraded = std::string{"embed: injected "}
                   + (embed.crash ? "crash" : embed.hang ? "hang" : embed.error ? "error" : "garbage")
                   + "; lexical evidence and BM25 citations";
      auto grade = [&](const rubric_engine& engine) {
        auto ev = engine.prepare(to_lines(segments));
        return to_message(engine.grade_dimension(q, *dim, ev, delivery));
      };
      auto result = degraded.empty() ? grade(*st.opts.engine)
                                     : grade(st.opts.engine->without_embeddings());
      result.degraded = std::move(degraded);
      if (plan.garbage)
        result.score = 1e9;  // out of range: the session must reject it
      return result;
    },
  };
}

}  // namespace

caf::actor spawn_grader(caf::local_actor* parent, const grader_options& opts) {
  if (opts.detached)
    return parent->spawn<caf::detached>(grader_impl, opts);
  return parent->spawn(grader_impl, opts);
}

}  // namespace sof::grading
