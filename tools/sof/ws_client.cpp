// The only Boost.Beast translation unit of `sof client`: one connection
// class in the style of Beast's example/websocket/*/async (do_x / on_x
// pairs), one write in flight with a queue behind it, driven by one
// io_context on the caller's thread.
#include "tools/sof/ws_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

namespace sof::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr auto connect_timeout = 10s;
constexpr std::size_t max_server_message = 8 * 1024 * 1024;

class connection : public std::enable_shared_from_this<connection> {
public:
  connection(net::io_context& ioc, const ws_target& target, ws_events& events)
    : target_(target), events_(events), resolver_(ioc), ws_(ioc) {
  }

  void start() {
    do_resolve();
  }

  void send(std::string message) {
    queue_.push_back(std::move(message));
    if (open_ && !writing_ && !closing_)
      do_write();
  }

  std::size_t queued() const {
    return queue_.size();
  }

  bool is_open() const {
    return open_ && !dead_;
  }

  void close() {
    if (dead_ || close_requested_)
      return;
    close_requested_ = true;
    if (!open_) {  // still connecting: nothing to close gracefully
      drop();
      return;
    }
    if (!writing_)
      do_close();
  }

  void drop() {
    if (dead_)
      return;
    dead_ = true;
    open_ = false;
    resolver_.cancel();
    // SO_LINGER 0: the close sends a TCP RST, not a FIN, so whatever the
    // server has not read yet is gone, like a network that failed.
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(net::socket_base::linger(true, 0),
                                                    ignored);
    // Closes the socket (pending operations complete with
    // operation_aborted and are ignored) and the stream's timer; noexcept.
    beast::get_lowest_layer(ws_).close();
  }

private:
  std::string endpoint() const {
    return target_.host + ":" + target_.port;
  }

  void do_resolve() {
    resolver_.async_resolve(
      target_.host, target_.port,
      beast::bind_front_handler(&connection::on_resolve, shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (dead_)
      return;
    if (ec)
      return report(ws_closed::kind::connect_failed,
                    "cannot resolve " + target_.host + ": " + ec.message());
    do_connect(results);
  }

  void do_connect(const tcp::resolver::results_type& results) {
    beast::get_lowest_layer(ws_).expires_after(connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
      results, beast::bind_front_handler(&connection::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (dead_)
      return;
    if (ec == beast::error::timeout)
      return report(ws_closed::kind::connect_failed,
                    "cannot connect to " + endpoint() + ": timed out after 10 s");
    if (ec)
      return report(ws_closed::kind::connect_failed,
                    "cannot connect to " + endpoint() + ": " + ec.message());
    // The WebSocket stream has its own timeouts from here on: 15 s for the
    // handshake, and an idle connection is probed with control pings and
    // given up after 60 s of silence (a server that vanished without a
    // FIN or RST).
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout opt;
    opt.handshake_timeout = 15s;
    opt.idle_timeout = 60s;
    opt.keep_alive_pings = true;
    ws_.set_option(opt);
    ws_.set_option(websocket::stream_base::decorator(
      [token = target_.token](websocket::request_type& req) {
        req.set(http::field::user_agent, "sof-client/0.1");
        if (!token.empty())
          req.set(http::field::authorization, "Bearer " + token);
      }));
    ws_.read_message_max(max_server_message);
    do_handshake();
  }

  void do_handshake() {
    ws_.async_handshake(
      response_, endpoint(), target_.path,
      beast::bind_front_handler(&connection::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (dead_)
      return;
    if (ec == websocket::error::upgrade_declined) {
      ws_closed c;
      c.what = ws_closed::kind::refused;
      c.http_status = static_cast<int>(response_.result_int());
      c.http_body = response_.body();
      c.message = "HTTP " + std::to_string(c.http_status);
      return report(std::move(c));
    }
    if (ec)
      return report(ws_closed::kind::connect_failed,
                    "WebSocket handshake with " + endpoint() + " failed: "
                      + ec.message());
    open_ = true;
    ws_.binary(true);
    do_read();
    if (!queue_.empty())
      do_write();
    if (events_.on_open)
      events_.on_open();
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (dead_)
      return;
    if (ec == websocket::error::closed) {
      auto reason = ws_.reason();
      std::string what = "closed by the server (code "
                         + std::to_string(static_cast<unsigned>(reason.code));
      if (!reason.reason.empty())
        what += ": " + std::string{reason.reason.data(), reason.reason.size()};
      return report(ws_closed::kind::closed, what + ")");
    }
    if (ec)
      return report(ws_closed::kind::lost, "connection lost: " + ec.message());
    auto data = buffer_.cdata();
    std::span<const uint8_t> bytes{static_cast<const uint8_t*>(data.data()), data.size()};
    if (events_.on_message)
      events_.on_message(bytes);
    buffer_.consume(buffer_.size());
    if (!dead_)
      do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&connection::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (dead_)
      return;
    if (ec)
      return report(ws_closed::kind::lost, "connection lost: " + ec.message());
    queue_.pop_front();
    if (!queue_.empty())
      return do_write();
    if (close_requested_)
      return do_close();
    if (events_.on_drained)
      events_.on_drained();
  }

  void do_close() {
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    beast::bind_front_handler(&connection::on_close, shared_from_this()));
  }

  void on_close(beast::error_code ec) {
    if (dead_)
      return;
    if (ec)
      return report(ws_closed::kind::lost, "close failed: " + ec.message());
    report(ws_closed::kind::closed, "closed");
  }

  void report(ws_closed::kind what, std::string message) {
    ws_closed c;
    c.what = what;
    c.message = std::move(message);
    report(std::move(c));
  }

  // Exactly one report per connection; the connection is dead afterwards
  // and its socket closed.
  void report(ws_closed c) {
    if (dead_)
      return;
    drop();
    if (events_.on_closed)
      events_.on_closed(c);
  }

  const ws_target& target_;
  ws_events& events_;
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type response_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool writing_ = false;
  bool close_requested_ = false;
  bool closing_ = false;
  bool dead_ = false;
};

}  // namespace

struct ws_loop::impl {
  net::io_context ioc{1};
};

ws_loop::ws_loop() : impl_(std::make_unique<impl>()) {
}

ws_loop::~ws_loop() = default;

void ws_loop::at(clock::time_point when, std::function<void()> fn) {
  auto timer = std::make_shared<net::steady_timer>(impl_->ioc, when);
  timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
    if (!ec)
      fn();
  });
}

void ws_loop::run() {
  // Restartable: a loop stopped once (a finished run) may be run again.
  impl_->ioc.restart();
  impl_->ioc.run();
}

void ws_loop::stop() {
  impl_->ioc.stop();
}

namespace {

// One GET in the style of Beast's http/client/async example.
class http_fetch : public std::enable_shared_from_this<http_fetch> {
public:
  using done_fn = std::function<void(int, std::string, std::string)>;

  http_fetch(net::io_context& ioc, done_fn done)
    : resolver_(ioc), stream_(ioc), done_(std::move(done)) {
  }

  void start(const std::string& host, const std::string& port, const std::string& target) {
    req_ = {http::verb::get, target, 11};
    req_.set(http::field::host, host);
    req_.set(http::field::user_agent, "sof-loadgen/0.1");
    resolver_.async_resolve(host, port,
                            beast::bind_front_handler(&http_fetch::on_resolve,
                                                      shared_from_this()));
  }

private:
  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return finish(0, "resolve: " + ec.message());
    stream_.expires_after(connect_timeout);
    stream_.async_connect(results, beast::bind_front_handler(&http_fetch::on_connect,
                                                             shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec)
      return finish(0, "connect: " + ec.message());
    stream_.expires_after(connect_timeout);
    http::async_write(stream_, req_, beast::bind_front_handler(&http_fetch::on_write,
                                                               shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return finish(0, "write: " + ec.message());
    http::async_read(stream_, buffer_, res_,
                     beast::bind_front_handler(&http_fetch::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return finish(0, "read: " + ec.message());
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    finish(static_cast<int>(res_.result_int()), {});
  }

  void finish(int status, std::string error) {
    if (done_)
      done_(status, status ? std::move(res_.body()) : std::string{}, std::move(error));
    done_ = nullptr;
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;
  done_fn done_;
};

}  // namespace

void http_get(ws_loop& loop, const std::string& host, const std::string& port,
              const std::string& target,
              std::function<void(int, std::string, std::string)> done) {
  std::make_shared<http_fetch>(loop.get().ioc, std::move(done))->start(host, port, target);
}

struct ws_client::impl {
  std::unique_ptr<ws_loop> owned;  // the loop of a client that has its own
  ws_loop* loop = nullptr;
  ws_target target;
  ws_events events;
  std::shared_ptr<connection> conn;
};

ws_client::ws_client(ws_target target, ws_events events)
  : impl_(std::make_unique<impl>()) {
  impl_->owned = std::make_unique<ws_loop>();
  impl_->loop = impl_->owned.get();
  impl_->target = std::move(target);
  impl_->events = std::move(events);
}

ws_client::ws_client(ws_loop& loop, ws_target target, ws_events events)
  : impl_(std::make_unique<impl>()) {
  impl_->loop = &loop;
  impl_->target = std::move(target);
  impl_->events = std::move(events);
}

ws_client::~ws_client() {
  if (impl_->conn)
    impl_->conn->drop();
}

void ws_client::connect() {
  if (impl_->conn)
    impl_->conn->drop();
  impl_->conn = std::make_shared<connection>(impl_->loop->get().ioc, impl_->target,
                                            impl_->events);
  impl_->conn->start();
}

void ws_client::send(std::string message) {
  if (impl_->conn)
    impl_->conn->send(std::move(message));
}

std::size_t ws_client::queued() const {
  return impl_->conn ? impl_->conn->queued() : 0;
}

bool ws_client::is_open() const {
  return impl_->conn && impl_->conn->is_open();
}

void ws_client::close() {
  if (impl_->conn)
    impl_->conn->close();
}

void ws_client::drop() {
  if (impl_->conn)
    impl_->conn->drop();
}

void ws_client::at(clock::time_point when, std::function<void()> fn) {
  impl_->loop->at(when, std::move(fn));
}

void ws_client::run() {
  impl_->loop->run();
}

void ws_client::stop() {
  impl_->loop->stop();
}

}  // namespace sof::cli
