#include "transport/server/http_server.hpp"

#include "actors/common/errors.hpp"
#include "actors/common/logging.hpp"
#include "transport/protocol/wire.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <thread>

namespace sof::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A WebSocket message may be read up to this size so that an oversized one
// can be answered with a clear error instead of a bare close.
constexpr std::size_t ws_read_max = 1 << 20;
// Outgoing messages queued for a client that does not read: beyond this the
// client is too slow to follow a live interview and is disconnected.
constexpr std::size_t max_out_queue = 4000;
// A whole HTTP request (request line, headers, body) must arrive within
// this; it also bounds an idle keep-alive connection (slowloris).
constexpr auto http_request_timeout = std::chrono::seconds(15);
constexpr std::size_t http_header_limit = 16 * 1024;
// The WebSocket opening handshake (the request is already read: only the
// 101 goes out) and the closing one. The close after an idle or fatal
// error waits this long for the client's close frame, so a client that
// stops in the middle of a frame is dropped after idle_timeout_s plus this.
constexpr auto ws_handshake_timeout = std::chrono::seconds(10);
// After a failed accept (e.g. no file descriptor left), wait this long.
constexpr auto accept_retry_ms = std::chrono::milliseconds(100);

std::string credential_from_subprotocols(std::string_view header) {
  // "sof.v1, bearer.TOKEN": browsers cannot set Authorization on a WebSocket.
  std::size_t at = 0;
  while (at < header.size()) {
    auto comma = header.find(',', at);
    auto item = header.substr(at, comma == std::string_view::npos ? std::string_view::npos
                                                                  : comma - at);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item.starts_with("bearer."))
      return std::string{item.substr(7)};
    if (comma == std::string_view::npos)
      break;
    at = comma + 1;
  }
  return {};
}

// One live-session WebSocket connection: one class, do_x/on_x pairs, one
// write in flight and a queue behind it.
class ws_session : public std::enable_shared_from_this<ws_session>,
                   public connection_sink {
 public:
  ws_session(tcp::socket&& socket, session_hub& hub, who w,
             const config::server_settings& cfg)
    : ws_(std::move(socket)), idle_(ws_.get_executor()), hub_(hub), who_(std::move(w)),
      cfg_(cfg), log_(log::get("server")) {
  }

  void run(http::request<http::string_body> req, bool subprotocol) {
    websocket::stream_base::timeout t{ws_handshake_timeout,
                                      std::chrono::seconds(cfg_.idle_timeout_s), true};
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
      res.set(http::field::server, "sof");
      if (subprotocol)
        res.set(http::field::sec_websocket_protocol, "sof.v1");
    }));
    ws_.read_message_max(ws_read_max);
    ws_.binary(true);
    ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

  void send(std::string bytes) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), b = std::move(bytes)]() mutable {
                self->on_send(std::move(b));
              });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec)
      return;
    window_start_ = std::chrono::steady_clock::now();
    arm_idle();
    do_read();
  }

  // A client that answers pings but sends nothing holds a slot for nothing:
  // the application-level idle limit closes it (its session, if any, waits
  // for a resume as after any disconnect).
  void arm_idle() {
    idle_.expires_after(std::chrono::seconds(cfg_.idle_timeout_s));
    idle_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && !self->closing_)
        self->error("idle", "nothing received for " + std::to_string(self->cfg_.idle_timeout_s)
                              + " s", true);
    });
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      idle_.cancel();
      return on_gone();
    }
    arm_idle();
    auto data = buffer_.data();
    std::span<const uint8_t> msg{static_cast<const uint8_t*>(data.data()), data.size()};
    if (bytes > wire::max_client_message) {
      error("too_large", "message of " + std::to_string(bytes) + " bytes; the limit is "
                           + std::to_string(wire::max_client_message), true);
      buffer_.consume(buffer_.size());
      return;
    }
    if (over_rate()) {
      error("rate", "more than " + std::to_string(cfg_.max_message_rate)
                      + " messages a second; message dropped", false);
    } else {
      dispatch(msg);
    }
    buffer_.consume(buffer_.size());
    if (!closing_)
      do_read();
  }

  bool over_rate() {
    auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= std::chrono::seconds(1)) {
      window_start_ = now;
      in_window_ = 0;
    }
    return ++in_window_ > static_cast<uint32_t>(cfg_.max_message_rate);
  }

  void dispatch(std::span<const uint8_t> bytes) {
    auto m = wire::decode_client(bytes);
    if (!m)
      return error("bad_frame", describe(m.error()), false);
    if (auto* s = std::get_if<wire::start>(&*m))
      return on_start(*s);
    if (auto* p = std::get_if<wire::ping>(&*m))
      return on_send(wire::encode_server({{"t", "pong"}, {"id", p->id}}));
    if (!live_)
      return error("not_started", "send start first", false);
    if (auto* a = std::get_if<wire::audio>(&*m)) {
      auto seq = a->seq;
      switch (live_->on_audio(std::move(*a))) {
        case frame_verdict::delivered:
          hub_.context().stats->add("sof_frames_total", {{"tenant", who_.tenant}});
          break;
        case frame_verdict::duplicate:
          hub_.context().stats->add("sof_frames_duplicate_total", {{"tenant", who_.tenant}});
          break;
        case frame_verdict::out_of_order:
          on_send(wire::encode_server(
            {{"t", "error"}, {"code", "out_of_order"},
             {"message", "frame " + std::to_string(seq) + " is ahead of the next expected ("
                           + std::to_string(live_->next_seq()) + "); resend from there"},
             {"fatal", false}, {"seq", seq}}));
          break;
        case frame_verdict::ended:
          error("ended", "the session has ended", false);
          break;
      }
      return;
    }
    if (std::holds_alternative<wire::end>(*m))
      live_->end();
  }

  void on_start(const wire::start& s) {
    if (live_)
      return error("already_started", "this connection already has a session", false);
    auto self = shared_from_this();
    auto live = s.resume.empty() ? hub_.open(who_, s, nullptr)
                                 : hub_.resume(who_, s.resume, nullptr);
    if (!live) {
      auto code = static_cast<errc>(live.error().code());
      std::string what = code == errc::unsupported ? "limit"
                         : !s.resume.empty()       ? "not_found"
                                                   : "unknown_question";
      return error(what, describe(live.error()), true);
    }
    live_ = *live;
    on_send(wire::encode_server(live_->started_message(!s.resume.empty())));
    live_->attach(self);  // then whatever was kept while detached
  }

  void error(const std::string& code, const std::string& message, bool fatal) {
    on_send(wire::encode_server(wire::error_message(code, message, fatal)));
    if (fatal) {
      closing_ = true;
      close_after_write_ = true;
    }
  }

  void on_send(std::string bytes) {
    if (queue_.size() >= max_out_queue) {
      log_->warn("{} client too slow ({} messages queued): disconnecting",
                 log::context{who_.tenant, live_ ? live_->id() : "-"}.tag(), queue_.size());
      beast::get_lowest_layer(ws_).close();
      return;
    }
    queue_.push_back(std::move(bytes));
    if (queue_.size() > 1)
      return;
    do_write();
  }

  void do_write() {
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return on_gone();
    queue_.pop_front();
    if (!queue_.empty())
      return do_write();
    if (close_after_write_) {
      close_after_write_ = false;
      ws_.async_close(websocket::close_code::policy_error,
                      beast::bind_front_handler(&ws_session::on_close, shared_from_this()));
    }
  }

  void on_close(beast::error_code) {
    idle_.cancel();
    on_gone();
  }

  // The connection is over; the session is not (the client may resume).
  void on_gone() {
    if (live_) {
      live_->detach(this);
      live_.reset();
    }
  }

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer idle_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  session_hub& hub_;
  who who_;
  const config::server_settings& cfg_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<live_session> live_;
  std::chrono::steady_clock::time_point window_start_;
  uint32_t in_window_ = 0;
  bool closing_ = false;
  bool close_after_write_ = false;
};

// One HTTP connection: requests in, responses out, or an upgrade.
class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket&& socket, rest_api& api, session_hub& hub,
               const config::server_settings& cfg)
    : stream_(std::move(socket)), api_(api), hub_(hub), cfg_(cfg) {
  }

  void run() { do_read(); }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(max_body_bytes);
    parser_->header_limit(http_header_limit);
    // Slow clients (slowloris) get this long for a whole request.
    stream_.expires_after(http_request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream)
      return close();
    if (ec == http::error::body_limit)
      return reply(413, R"({"error":"payload too large","reason":"the limit is 64 KB"})", false);
    if (ec == http::error::header_limit)
      return reply(431, R"({"error":"headers too large","reason":"the limit is 16 KB"})", false);
    // A request the parser refused (not a timeout or a client gone
    // mid-request): say so before closing rather than drop it silently.
    if (ec.category() == http::make_error_code(http::error::bad_target).category()
        && ec != http::error::partial_message)
      return reply(400, R"({"error":"bad request","reason":"malformed HTTP request"})", false);
    if (ec)
      return close();
    auto req = parser_->release();
    if (websocket::is_upgrade(req))
      return upgrade(std::move(req));
    http_request r{std::string{req.method_string()}, std::string{req.target()},
                   std::string{req[http::field::authorization]}, std::move(req.body())};
    http_response res;
    try {
      res = api_.handle(r);
    } catch (const std::exception& e) {
      // A bug in one request must cost that request, not the process and
      // every live session in it (an exception on a network thread would).
      log::get("server")->error("{} request failed: {}", r.method, e.what());
      res = {500, "application/json", R"({"error":"internal error"})", {}};
    }
    hub_.context().stats->add("sof_http_requests_total", {{"code", std::to_string(res.status)}});
    http::response<http::string_body> out{static_cast<http::status>(res.status), req.version()};
    out.set(http::field::server, "sof");
    out.set(http::field::content_type, res.content_type);
    for (const auto& [k, v] : res.headers)
      out.set(k, v);
    out.keep_alive(req.keep_alive());
    out.body() = std::move(res.body);
    out.prepare_payload();
    write(std::move(out));
  }

  void upgrade(http::request<http::string_body> req) {
    auto target = std::string{req.target()};
    if (target.substr(0, target.find('?')) != "/v1/sessions/ws")
      return reply(404, R"({"error":"not found"})", false);
    if (api_.draining())
      return reply(503, R"({"error":"server draining"})", false);
    auto cred = auth::bearer(std::string{req[http::field::authorization]});
    bool via_subprotocol = false;
    if (!cred) {
      auto h = req[http::field::sec_websocket_protocol];
      auto c = credential_from_subprotocols(std::string_view{h.data(), h.size()});
      if (!c.empty()) {
        cred = c;
        via_subprotocol = true;
      }
    }
    if (!cred)
      return reply(401, R"({"error":"unauthorized","reason":"missing bearer credential"})", false);
    auto w = api_.authenticate(*cred);
    if (!w) {
      hub_.context().stats->add("sof_auth_failures_total");
      nlohmann::json j{{"error", "unauthorized"}, {"reason", describe(w.error())}};
      return reply(401, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
    }
    stream_.expires_never();
    std::make_shared<ws_session>(stream_.release_socket(), hub_, *w, cfg_)
      ->run(std::move(req), via_subprotocol);
  }

  void reply(int status, std::string body, bool keep_alive) {
    http::response<http::string_body> out{static_cast<http::status>(status), 11};
    out.set(http::field::server, "sof");
    out.set(http::field::content_type, "application/json");
    out.keep_alive(keep_alive);
    out.body() = std::move(body);
    out.prepare_payload();
    hub_.context().stats->add("sof_http_requests_total", {{"code", std::to_string(status)}});
    write(std::move(out));
  }

  void write(http::response<http::string_body>&& res) {
    auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
    bool keep = sp->keep_alive();
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp, keep](beast::error_code ec, std::size_t) {
                        if (ec || !keep)
                          return self->close();
                        self->do_read();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  rest_api& api_;
  session_hub& hub_;
  const config::server_settings& cfg_;
};

}  // namespace

struct http_server::impl {
  rest_api& api;
  session_hub& hub;
  config::server_settings cfg;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_retry{ioc};
  bool accept_failing = false;  // only the accept handler and its timer touch it

  impl(rest_api& a, session_hub& h, config::server_settings c)
    : api(a), hub(h), cfg(std::move(c)), ioc(cfg.threads) {
  }

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted)
        return;
      if (ec) {
        // Out of file descriptors (a flood of connections) and the like: the
        // connection stays queued, so accepting again at once fails again at
        // once and spins a core the live sessions' speech decoding needs.
        if (!accept_failing)
          log::get("server")->warn("accepting connections failed: {}; retrying every {} ms",
                                   ec.message(), accept_retry_ms.count());
        accept_failing = true;
        accept_retry.expires_after(accept_retry_ms);
        accept_retry.async_wait([this](beast::error_code e) {
          if (!e && acceptor.is_open())
            do_accept();
        });
        return;
      }
      if (accept_failing)
        log::get("server")->info("accepting connections again");
      accept_failing = false;
      std::make_shared<http_session>(std::move(s), api, hub, cfg)->run();
      do_accept();
    });
  }
};

http_server::http_server(rest_api& api, session_hub& hub, config::server_settings cfg)
  : impl_(std::make_unique<impl>(api, hub, std::move(cfg))) {
}

http_server::~http_server() = default;

caf::expected<uint16_t> http_server::listen() {
  beast::error_code ec;
  auto addr = net::ip::make_address(impl_->cfg.host, ec);
  if (ec)
    return make_error(errc::invalid_config, "server.host '" + impl_->cfg.host
                                              + "' is not an IP address");
  tcp::endpoint ep{addr, static_cast<unsigned short>(impl_->cfg.port)};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec)
    a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    a.bind(ep, ec);
  if (!ec)
    a.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(errc::io_error, "cannot listen on " + impl_->cfg.host + ":"
                                        + std::to_string(impl_->cfg.port) + ": " + ec.message());
  return a.local_endpoint().port();
}

void http_server::run(const std::function<void()>& drain) {
  impl_->do_accept();
  net::signal_set signals{impl_->ioc, SIGINT, SIGTERM};
  std::thread drainer;
  signals.async_wait([&](beast::error_code ec, int) {
    if (ec)
      return;
    beast::error_code ignore;
    impl_->acceptor.close(ignore);
    // Drain off the network threads: sessions still send their scorecards.
    drainer = std::thread{[&] {
      drain();
      impl_->ioc.stop();
    }};
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->cfg.threads; ++i)
    threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads)
    t.join();
  if (drainer.joinable())
    drainer.join();
}

}  // namespace sof::server
