#pragma once
// Live interview sessions of the service. Each is a session actor tree
// (actors/session) plus a bridge actor: the session's listener, which turns
// its events into wire messages for whichever connection is attached,
// stores transcript, follow-ups and the scorecard, and records metrics.
// Connections come and go (resume); the session and its sequence number
// stay here, so a resent frame is recognised and dropped.
//
// Thread model: network threads call live_session and session_hub; the
// bridge runs on CAF's scheduler. Shared state is behind one mutex per
// session and one for the registry.
#include "config/questions.hpp"
#include "config/settings.hpp"
#include "transport/protocol/wire.hpp"
#include "transport/server/limits.hpp"
#include "transport/server/metrics.hpp"

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sof::grading {
class rubric_engine;
}
namespace sof::store {
class database;
}

namespace sof::server {

/// What a live session sends its client through (the WebSocket session).
class connection_sink {
 public:
  virtual ~connection_sink() = default;
  /// Queues one binary message; callable from any thread.
  virtual void send(std::string bytes) = 0;
};

struct who {
  std::string tenant;
  std::string user;
};

/// Everything the service shares between sessions.
struct service_context {
  config::settings cfg;
  store::database* db = nullptr;
  const config::question_bank* bank = nullptr;
  std::shared_ptr<const grading::rubric_engine> engine;
  tenant_limits* limits = nullptr;
  server::metrics* stats = nullptr;
  std::filesystem::path journal_dir;  // empty: no journals
  caf::actor_system* sys = nullptr;
};

enum class frame_verdict { delivered, duplicate, out_of_order, ended };

/// The server's own count of a session's audio frames, sent with the
/// scorecard so a client (sof loadgen) measures loss against what the
/// session really got, not against its own bookkeeping.
struct frame_counts {
  uint64_t received = 0;            // audio messages that reached the session
  uint64_t delivered = 0;           // unique frames in the session (next_seq)
  uint64_t duplicates_dropped = 0;  // seq below next_seq: resends, dropped
  uint64_t refused = 0;             // seq beyond next_seq: out_of_order
};

class session_hub;

class live_session {
 public:
  live_session(std::string id, who owner, std::string question_id);

  const std::string& id() const { return id_; }
  const who& owner() const { return owner_; }

  /// A frame from the client: delivered strictly in sequence order.
  frame_verdict on_audio(wire::audio&& a);
  /// The candidate finished: drain, grade, store, send the scorecard.
  void end();
  /// Attaches a connection, flushing what was kept while detached.
  void attach(std::shared_ptr<connection_sink> conn);
  /// The connection went away (nothing is lost: the session goes on).
  void detach(const connection_sink* conn);
  uint64_t next_seq() const;
  frame_counts frames() const;
  bool attached() const;
  nlohmann::json started_message(bool resumed) const;

  /// From the bridge: to the client now, or kept for when it is back.
  /// `droppable`: superseded by what follows (voice audio, partials, acks,
  /// coverage), the first to go when the backlog is full; the transcript,
  /// follow-ups and the scorecard are kept.
  void push(std::string bytes, bool droppable = false);
  /// Kept messages dropped because the backlog was full (never a kept
  /// kind unless it holds nothing else).
  uint64_t backlog_dropped() const;
  /// The session actor tree's root.
  const caf::actor& session_actor() const { return session_; }
  /// True (and the session marked ending) when no connection came back
  /// since detach number `generation`.
  bool expire(uint64_t generation);
  /// When frame 0 arrived (default-constructed before that).
  std::chrono::steady_clock::time_point first_frame() const;

 private:
  friend class session_hub;
  std::string id_;
  who owner_;
  std::string question_id_;
  nlohmann::json question_;
  caf::actor session_;
  caf::actor bridge_;
  mutable std::mutex mutex_;
  std::shared_ptr<connection_sink> conn_;
  struct kept {
    std::string bytes;
    bool droppable = false;
  };
  std::deque<kept> backlog_;
  uint64_t backlog_dropped_ = 0;
  uint64_t next_seq_ = 0;
  frame_counts frames_;
  uint64_t detach_generation_ = 0;
  std::chrono::steady_clock::time_point first_frame_{};  // audio time 0, roughly
  bool ending_ = false;
};

class session_hub {
 public:
  explicit session_hub(service_context ctx);
  ~session_hub();

  /// A new session: limits, question, a stored row, the actor tree.
  /// Errors: errc::not_found (question), errc::unsupported (a limit; the
  /// message is the reason).
  caf::expected<std::shared_ptr<live_session>>
  open(const who& owner, const wire::start& s, std::shared_ptr<connection_sink> conn);

  /// Re-attaches `owner`'s live session `id` (errc::not_found otherwise).
  caf::expected<std::shared_ptr<live_session>>
  resume(const who& owner, const std::string& id, std::shared_ptr<connection_sink> conn);

  /// Called by a bridge when its session is stored and over.
  void forget(const std::string& id, const std::string& tenant);

  /// SIGTERM: finish every live session (graded, stored as interrupted)
  /// and wait up to `bound`; returns how many did not make it in time.
  std::size_t drain(std::chrono::seconds bound);

  std::size_t live() const;
  service_context& context() { return ctx_; }

 private:
  service_context ctx_;
  mutable std::mutex mutex_;
  std::condition_variable empty_;
  std::map<std::string, std::shared_ptr<live_session>> live_;
};

}  // namespace sof::server
