#include "actors/retrieval/retrieval_actor.hpp"

#include "actors/common/harden.hpp"
#include "actors/common/logging.hpp"
#include "actors/messages/messages.hpp"

#include <caf/actor_pool.hpp>
#include <caf/all.hpp>

namespace sof::retrieval {
namespace {

msg::kb_results to_message(const std::vector<hit>& hits) {
  msg::kb_results out;
  out.hits.reserve(hits.size());
  for (const auto& h : hits)
    out.hits.push_back(msg::kb_hit{h.score, h.doc.source, h.doc.heading,
                                   h.doc.text, h.doc.attribution});
  return out;
}

caf::behavior search_worker(caf::event_based_actor* self,
                            std::shared_ptr<const retriever> kb) {
  harden(self, log::get("retrieval"), "kb");
  return {
    [kb](msg::kb_query& q) -> caf::result<msg::kb_results> {
      auto hits = kb->search(q.text, q.k);
      if (!hits)
        return hits.error();
      return to_message(*hits);
    },
  };
}

}  // namespace

caf::actor spawn_retrieval_service(caf::actor_system& sys,
                                   std::shared_ptr<const retriever> kb,
                                   std::size_t workers) {
  auto factory = [&sys, kb] { return sys.spawn(search_worker, kb); };
  return caf::actor_pool::make(sys.dummy_execution_unit(),
                               std::max<std::size_t>(1, workers), factory,
                               caf::actor_pool::round_robin());
}

}  // namespace sof::retrieval
