#pragma once
// CAF's deterministic test coordinator under GoogleTest: every actor runs in
// the test thread when the test says so, timers fire only when triggered, so
// supervision and restarts are tested without a single sleep.
#include "actors/session/offline_run.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <memory>

namespace sof::test {

class actor_fixture {
 public:
  actor_fixture() {
    session::prepare_actor_config(cfg_);
    cfg_.set("scheduler.policy", caf::atom("testing"));
    cfg_.set("middleman.network-backend", caf::atom("testing"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
  }

  ~actor_fixture() {
    // Actors with a behaviour live until told otherwise; the system's
    // destructor waits for them, so end every actor the test started.
    for (auto& a : tracked_)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sched_->run();
  }

  /// Remembers an actor to shut down when the test ends.
  caf::actor track(caf::actor a) {
    tracked_.push_back(a);
    return a;
  }

  caf::actor_system& sys() { return *sys_; }
  caf::scheduler::test_coordinator& sched() { return *sched_; }

  /// Runs every actor until all mailboxes are empty, then fires the next
  /// pending timer, and repeats until neither is left (or `max_timers`).
  std::size_t run_all(std::size_t max_timers = 10000) {
    std::size_t timers = 0;
    for (;;) {
      sched_->run();
      if (timers >= max_timers || !sched_->trigger_timeout())
        break;
      ++timers;
    }
    return timers;
  }

 private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
  std::vector<caf::actor> tracked_;
};

}  // namespace sof::test
