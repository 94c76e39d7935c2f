#include "actors/grading/grading_supervisor.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/grading/grading_messages.hpp"

#include <caf/all.hpp>

namespace sof::grading {
namespace {

struct round {
  std::vector<msg::transcript_segment> segments;
  msg::delivery_stats delivery;
  std::vector<msg::dimension_result> results;  // rubric order
  std::size_t pending = 0;
  caf::response_promise rp;
};

struct supervisor_state {
  grading_options opts;
  std::shared_ptr<spdlog::logger> log;
  uint32_t restarts = 0;
  static inline const char* name = "graders";
};

using self_t = caf::stateful_actor<supervisor_state>;

void finish_one(self_t* self, std::shared_ptr<round> r, std::size_t index,
                msg::dimension_result result) {
  r->results[index] = std::move(result);
  if (--r->pending > 0)
    return;
  const auto& st = self->state;
  // Relevance reads the whole answer against the bank's topics: a few
  // thousand term lookups, well under a millisecond.
  const auto rel = st.opts.engine->relevance(*st.opts.question, to_lines(r->segments));
  auto card = make_scorecard(*st.opts.question, r->results, {},
                             st.opts.engine->topics() ? &rel : nullptr);
  r->rp.deliver(std::move(card));
}

void run_grader(self_t* self, std::shared_ptr<round> r, std::size_t index,
                uint32_t attempt) {
  auto& st = self->state;
  const auto& dim = st.opts.question->dimensions[index].name;
  grader_options g{st.opts.engine, st.opts.question, dim, st.opts.faults,
                   attempt, st.opts.detached};
  auto grader = spawn_grader(self, g);
  auto failed = [=](const std::string& why) {
    auto& st = self->state;
    self->send_exit(grader, caf::exit_reason::kill);
    if (attempt < static_cast<uint32_t>(st.opts.retries)) {
      ++st.restarts;
      st.log->warn("grader.{} failed ({}); restart #{}", dim, why, attempt + 1);
      if (st.opts.listener)
        self->send(st.opts.listener,
                   msg::provider_restarted{"grader", "grader." + dim + ": " + why,
                                           st.restarts, 0});
      return run_grader(self, r, index, attempt + 1);
    }
    st.log->warn("grader.{} unavailable after {} attempts: {}", dim,
                 attempt + 1, why);
    msg::dimension_result un;
    un.dimension = dim;
    un.status = "unavailable";
    un.note = why;
    finish_one(self, r, index, std::move(un));
  };
  self
    ->request(grader, std::chrono::milliseconds{st.opts.deadline_ms},
              msg::grade_atom::value, r->segments, r->delivery)
    .then(
      [=](msg::dimension_result& res) {
        if (!plausible(res, dim))
          return failed("implausible result");
        self->send_exit(grader, caf::exit_reason::user_shutdown);
        finish_one(self, r, index, std::move(res));
      },
      [=](caf::error& err) {
        failed(err == caf::sec::request_timeout
                 ? "no result within " + std::to_string(self->state.opts.deadline_ms)
                     + " ms"
                 : describe(err));
      });
}

caf::behavior supervisor_impl(self_t* self, grading_options opts) {
  self->state.opts = std::move(opts);
  self->state.log = log::get("grading");
  harden(self, self->state.log, "graders");
  return {
    [=](msg::grade_atom, std::vector<msg::transcript_segment>& segments,
        msg::delivery_stats& delivery) -> caf::result<msg::scorecard> {
      auto r = std::make_shared<round>();
      r->segments = std::move(segments);
      r->delivery = delivery;
      const auto& dims = self->state.opts.question->dimensions;
      r->results.resize(dims.size());
      r->pending = dims.size();
      r->rp = self->make_response_promise();
      for (std::size_t i = 0; i < dims.size(); ++i)
        run_grader(self, r, i, 0);
      return caf::delegated<msg::scorecard>{};
    },
  };
}

}  // namespace

caf::actor spawn_grading_supervisor(caf::local_actor* parent,
                                    grading_options opts) {
  return parent->spawn<caf::linked>(supervisor_impl, std::move(opts));
}

}  // namespace sof::grading
