#pragma once
// The knowledge-base search service shared by every session of a process:
// a pool of actors over one immutable retriever (search() is const and
// thread-safe), so concurrent sessions search in parallel.
//
// Request: msg::kb_query -> msg::kb_results, or an error (empty query,
// remote embedder down). Graders and the follow-up agent are its clients.
#include "retrieval/retriever.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>

namespace sof::retrieval {

/// Spawns the service with `workers` pool members (>= 1).
caf::actor spawn_retrieval_service(caf::actor_system& sys,
                                   std::shared_ptr<const retriever> kb,
                                   std::size_t workers = 2);

}  // namespace sof::retrieval
