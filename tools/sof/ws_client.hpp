#pragma once
// A WebSocket client over plain TCP for `sof client`, behind a narrow
// interface so that Boost.Beast (~35 s and 1 GB per translation unit) is
// compiled in ws_client.cpp only. One event loop runs on the caller's
// thread (run()); every callback and every timer runs on that thread, so
// the code driving the protocol needs no locks. At most one connection
// exists at a time: connect() again after drop() for a fresh one.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace sof::cli {

struct ws_target {
  std::string host;
  std::string port;
  std::string path = "/v1/sessions/ws";
  /// Sent as "Authorization: Bearer TOKEN" on the upgrade when not empty.
  std::string token;
};

/// Why a connection ended or could not be made.
struct ws_closed {
  enum class kind {
    connect_failed,  // resolve, TCP connect or the handshake itself failed
    refused,         // the server answered the upgrade with an HTTP error
    lost,            // a read or write failed on an open connection
    closed,          // a WebSocket close (ours or the server's) completed
  };
  kind what = kind::lost;
  int http_status = 0;    // refused: the status of the upgrade response
  std::string http_body;  // refused: its body
  std::string message;    // human-readable, one line
};

struct ws_events {
  std::function<void()> on_open;  // the upgrade was accepted
  std::function<void(std::span<const uint8_t>)> on_message;
  std::function<void()> on_drained;  // the write queue became empty
  /// Once per connection (never after drop()).
  std::function<void(const ws_closed&)> on_closed;
};

/// One event loop (an io_context run on one thread) that several clients
/// can share: `sof loadgen` runs all its simulated candidates on one.
class ws_loop {
public:
  using clock = std::chrono::steady_clock;

  ws_loop();
  ~ws_loop();
  ws_loop(const ws_loop&) = delete;
  ws_loop& operator=(const ws_loop&) = delete;

  /// Runs `fn` on the loop thread at `when` (one-shot, not cancellable).
  void at(clock::time_point when, std::function<void()> fn);
  /// Runs until stop() (or until nothing is left to do).
  void run();
  void stop();

  struct impl;
  impl& get() { return *impl_; }

private:
  std::unique_ptr<impl> impl_;
};

/// One plain HTTP/1.1 GET on the loop (for /metrics): `done(status, body,
/// error)` with status 0 and an error message when it failed; 10 s timeout.
void http_get(ws_loop& loop, const std::string& host, const std::string& port,
              const std::string& target,
              std::function<void(int, std::string, std::string)> done);

class ws_client {
public:
  using clock = std::chrono::steady_clock;

  /// With an event loop of its own (run() drives it).
  ws_client(ws_target target, ws_events events);
  /// On a shared loop, which the owner runs.
  ws_client(ws_loop& loop, ws_target target, ws_events events);
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// Resolves, connects (10 s timeout) and upgrades: then on_open, or
  /// on_closed with connect_failed / refused. Drops any current connection.
  void connect();
  /// Queues one binary message; one write is in flight at a time. Messages
  /// queued before the upgrade completes are written after it.
  void send(std::string message);
  /// Messages queued or being written on the current connection.
  std::size_t queued() const;
  bool is_open() const;
  /// Flushes the queue, then the WebSocket close handshake; on_closed
  /// (kind::closed) follows.
  void close();
  /// Closes the TCP socket at once with a RST (SO_LINGER 0), without a
  /// WebSocket close frame: what a failed network looks like to the server,
  /// including the loss of what it had not read yet. No callback follows.
  void drop();

  /// Runs `fn` on the loop thread at `when` (one-shot; not cancellable:
  /// callers check their own state).
  void at(clock::time_point when, std::function<void()> fn);
  /// Runs the event loop until stop() (or until nothing is left to do).
  void run();
  void stop();

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

}  // namespace sof::cli
