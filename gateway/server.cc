#include "gateway/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <csignal>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "gateway/body_budget.h"
#include "gateway/http_request_parse.h"
#include "gateway/security_headers.h"
#include "gateway/tls.h"

namespace amparo::gateway {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kWriteTimeout{30};
constexpr std::chrono::seconds kShutdownTimeout{2};
constexpr std::chrono::milliseconds kAcceptBackoff{100};
constexpr unsigned kRequestHeaderFieldsTooLarge = 431;

HttpMethod MethodOf(http::verb verb) {
  switch (verb) {
    case http::verb::get: return HttpMethod::kGet;
    case http::verb::head: return HttpMethod::kHead;
    case http::verb::post: return HttpMethod::kPost;
    case http::verb::put: return HttpMethod::kPut;
    default: return HttpMethod::kOther;
  }
}

class Session;

// Shared is the state the listener and every session see.
struct Shared {
  Shared(RequestHandler& h, const ServerOptions& o)
      : handler(h), options(o), bodies(o.body_budget_bytes) {}
  RequestHandler& handler;
  const ServerOptions options;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  BodyBudget bodies;  // after options, from which it is built

  std::mutex tls_mutex;
  std::shared_ptr<ssl::context> tls;

  std::mutex sessions_mutex;
  std::list<std::weak_ptr<Session>> sessions;

  std::shared_ptr<ssl::context> CurrentTls() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }
};

Result<std::shared_ptr<ssl::context>> MakeTls(const ServerOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  const Status status =
      ConfigureServerTls(context->native_handle(), options.certificate, options.private_key);
  if (!status.ok()) return status.error();
  return context;
}

// Session serves one connection. It keeps itself alive through its pending
// operations, runs on its own strand, sets a deadline before every step,
// uses a fresh parser with limits for every request, and answers one request
// at a time (no pipelining queue to grow).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<ssl::context> tls, Shared& shared)
      : tls_(std::move(tls)), stream_(std::move(socket), *tls_), shared_(shared) {
    ++shared_.connections;
  }

  ~Session() {
    ReleaseBody();
    --shared_.connections;
    std::lock_guard lock(shared_.sessions_mutex);
    if (registered_) shared_.sessions.erase(registration_);
  }

  void Start() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      registration_ = shared_.sessions.insert(shared_.sessions.end(), weak_from_this());
      registered_ = true;
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Handshake(); });
  }

  // CloseIfIdle ends the connection unless a request is being served.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

  // Evictable is true unless the handler has the connection's request or
  // its response is being written: those are never cut, so that nothing
  // acknowledged goes unanswered.
  bool Evictable() const { return !in_handler_.load() && !evicted_.load(); }

  // Evict closes the connection to make room for a new one, unless it has
  // meanwhile handed a request to the handler.
  void Evict() {
    evicted_ = true;
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->in_handler_) self->Close();
      else self->evicted_ = false;
    });
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Handshake() {
    Lowest().expires_after(shared_.options.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (ec) return self->Close();
                              self->ReadHeader(/*first=*/true);
                            });
  }

  void ReadHeader(bool first) {
    busy_ = false;
    in_handler_ = false;
    ReleaseBody();
    if (shared_.stopping) return Shutdown();
    parser_.emplace();
    // No body limit yet: the route's limit is set once the header is known.
    parser_->body_limit(boost::none);
    header_bytes_ = 0;
    started_ = first;
    // A kept-alive connection may idle; once a request starts, its header
    // must complete within the header timeout.
    Lowest().expires_after(first ? shared_.options.header_timeout : shared_.options.idle_timeout);
    ParseHeader({});
  }

  // ParseHeader reads until FeedHeader (http_request_parse.h) holds the
  // whole header or refuses it, the limit counting every byte of it.
  void ParseHeader(beast::error_code ec) {
    if (ec) return OnHeader(ec);
    if (buffer_.size() > 0) {
      if (!started_) {
        started_ = true;
        Lowest().expires_after(shared_.options.header_timeout);
      }
      switch (FeedHeader(*parser_, buffer_, header_bytes_)) {
        case HeaderProgress::kNeedMore: break;
        case HeaderProgress::kComplete: return OnHeader({});
        case HeaderProgress::kTooLarge: return OnHeader(http::error::header_limit);
        case HeaderProgress::kMalformed: return Close();
      }
    }
    stream_.async_read_some(buffer_.prepare(buffer_.max_size() - buffer_.size()),
                            [self = shared_from_this()](beast::error_code e, std::size_t n) {
                              self->buffer_.commit(n);
                              self->ParseHeader(e);
                            });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      HttpResponse refusal = shared_.handler.ErrorResponse(Error::kLimitExceeded);
      refusal.status = kRequestHeaderFieldsTooLarge;
      return Write(std::move(refusal), /*keep_alive=*/false);
    }
    if (ec) return Close();
    busy_ = true;
    const auto& header = parser_->get();
    head_.method = MethodOf(header.method());
    head_.target = std::string(header.target());
    const std::size_t limit = shared_.handler.BodyLimit(head_);
    const auto declared = parser_->content_length();
    if (declared && *declared > limit) {
      return Write(shared_.handler.ErrorResponse(Error::kLimitExceeded), false);
    }
    // A large body's memory is taken from the shared budget before any of
    // it is read: the declared length, or the route's limit for a chunked
    // body. Small bodies are bounded by the cap alone.
    const std::size_t expected = declared ? static_cast<std::size_t>(*declared) : limit;
    if (expected > limits::kMaxUnbudgetedBodyBytes) {
      if (!shared_.bodies.TryReserve(expected)) {
        return Write(shared_.handler.ErrorResponse(Error::kUnavailable), false);
      }
      reserved_body_ = expected;
    }
    parser_->body_limit(limit);
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      Lowest().expires_after(kWriteTimeout);
      return http::async_write(stream_, *cont,
                               [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
                                 if (e) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(shared_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->OnBody(ec);
                     });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Write(shared_.handler.ErrorResponse(Error::kLimitExceeded), false);
    }
    if (ec) return Close();
    auto message = parser_->release();
    const bool keep_alive = message.keep_alive();
    HttpRequest request{head_, std::move(message.body())};
    // Stop the clock while the handler (and a durable write) runs. The
    // response is posted through an executor that counts as outstanding
    // work, so that a graceful stop waits for it instead of dropping it.
    Lowest().expires_never();
    in_handler_ = true;
    auto tracked = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    shared_.handler.Handle(std::move(request),
                           [self = shared_from_this(), keep_alive, tracked](HttpResponse response) {
                             net::post(tracked,
                                       [self, keep_alive, r = std::move(response)]() mutable {
                                         self->Write(std::move(r), keep_alive);
                                       });
                           });
  }

  void Write(HttpResponse response, bool keep_alive) {
    busy_ = true;
    response_.emplace(static_cast<http::status>(response.status), 11);
    for (const auto& [name, value] : SecurityHeaders()) {
      response_->set(beast::string_view(name.data(), name.size()),
                     beast::string_view(value.data(), value.size()));
    }
    if (!response.content_type.empty()) {
      response_->set(http::field::content_type, response.content_type);
    }
    response_->body() = std::move(response.body);
    response_->keep_alive(keep_alive && !shared_.stopping);
    response_->prepare_payload();
    Lowest().expires_after(kWriteTimeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        const bool again = !ec && self->response_->keep_alive();
                        self->response_.reset();
                        if (ec) return self->Close();
                        if (!again) return self->Shutdown();
                        self->MarkRecentlyUseful();
                        self->ReadHeader(/*first=*/false);
                      });
  }

  void Shutdown() {
    Lowest().expires_after(kShutdownTimeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->Close(); });
  }

  // MarkRecentlyUseful moves the connection to the back of the eviction
  // order: a connection that completes requests outlives one that sends none.
  void MarkRecentlyUseful() {
    std::lock_guard lock(shared_.sessions_mutex);
    shared_.sessions.splice(shared_.sessions.end(), shared_.sessions, registration_);
  }

  void ReleaseBody() {
    if (reserved_body_ == 0) return;
    shared_.bodies.Release(reserved_body_);
    reserved_body_ = 0;
  }

  void Close() {
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  std::shared_ptr<ssl::context> tls_;  // outlives stream_, which refers to it
  ssl::stream<beast::tcp_stream> stream_;
  Shared& shared_;
  beast::flat_buffer buffer_{2 * limits::kMaxRequestHeaderBytes};
  std::optional<RequestParser> parser_;
  std::optional<http::response<http::vector_body<std::uint8_t>>> response_;
  RequestHead head_;
  bool busy_ = false;
  bool registered_ = false;
  std::atomic<bool> in_handler_{false};  // read by the listener when at the cap
  std::atomic<bool> evicted_{false};
  std::size_t reserved_body_ = 0;  // taken from shared_.bodies for the current body
  std::size_t header_bytes_ = 0;  // header bytes parsed so far
  bool started_ = false;          // the current request's first byte arrived
  std::list<std::weak_ptr<Session>>::iterator registration_;
};

// Listener accepts connections up to the cap. At the cap, the connection that
// has gone longest without completing a request is closed to make room, so
// that a flood of idle or slow connections cannot lock newcomers out; when
// every connection is being served, or evictions already overshoot the cap
// by an eighth, the new connection is closed at once. Descriptors and memory
// stay bounded either way.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor&& acceptor, Shared& shared)
      : ioc_(ioc), acceptor_(std::move(acceptor)), backoff_(acceptor_.get_executor()),
        shared_(shared) {}

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

  void Stop() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->backoff_.cancel();
    });
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || shared_.stopping) return;
    if (ec) {
      // Out of descriptors or memory: pause instead of spinning on accept.
      backoff_.expires_after(kAcceptBackoff);
      return backoff_.async_wait([self = shared_from_this()](beast::error_code) {
        if (!self->shared_.stopping) self->Accept();
      });
    }
    const std::size_t open = shared_.connections.load();
    const std::size_t cap = shared_.options.max_connections;
    if (open >= cap && (open > cap + cap / 8 || !EvictOldest())) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      // A response leaves as a few TLS records; with Nagle's algorithm the
      // last would wait for the client's delayed ACK, some 40 ms.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), shared_.CurrentTls(), shared_)->Start();
    }
    Accept();
  }

  // EvictOldest closes the least recently useful evictable connection;
  // false if there is none.
  bool EvictOldest() {
    std::shared_ptr<Session> victim;
    // A session released under the lock could be its last owner, whose
    // destructor takes the lock: the ones looked at are released after.
    std::vector<std::shared_ptr<Session>> seen;
    {
      std::lock_guard lock(shared_.sessions_mutex);
      for (auto& weak : shared_.sessions) {
        auto session = weak.lock();
        if (session && session->Evictable()) {
          victim = std::move(session);
          break;
        }
        if (session) seen.push_back(std::move(session));
      }
    }
    if (!victim) return false;
    victim->Evict();
    return true;
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer backoff_;
  Shared& shared_;
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& options, RequestHandler& handler)
      : shared(handler, options),
        ioc(static_cast<int>(options.threads)),
        signals(ioc) {}

  void WaitForSignal() {
    signals.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        const Status status = Reload();
        if (status.ok()) {
          spdlog::info("certificate reloaded");
        } else {
          spdlog::error("certificate reload failed; keeping the current one");
        }
        return WaitForSignal();
      }
      spdlog::info("stopping: finishing requests in flight");
      StopNow();
    });
  }

  Status Reload() {
    auto tls = MakeTls(shared.options);
    if (!tls.ok()) return tls.error();
    std::lock_guard lock(shared.tls_mutex);
    shared.tls = std::move(tls).value();
    return OkStatus();
  }

  void StopNow() {
    if (shared.stopping.exchange(true)) return;
    listener->Stop();
    beast::error_code ignored;
    signals.cancel(ignored);
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(shared.sessions_mutex);
      for (auto& weak : shared.sessions) {
        if (auto session = weak.lock()) open.push_back(std::move(session));
      }
    }
    for (auto& session : open) session->CloseIfIdle();
  }

  Shared shared;
  net::io_context ioc;
  net::signal_set signals;
  std::shared_ptr<Listener> listener;
  std::uint16_t port = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options,
                                               RequestHandler& handler) {
  auto impl = std::make_unique<Impl>(options, handler);
  auto tls = MakeTls(options);
  if (!tls.ok()) return tls.error();
  impl->shared.tls = std::move(tls).value();

  beast::error_code ec;
  const auto address = net::ip::make_address(options.address, ec);
  if (ec) return Error::kInvalidArgument;
  tcp::acceptor acceptor(net::make_strand(impl->ioc));
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error::kIo;
  impl->port = acceptor.local_endpoint().port();
  impl->listener = std::make_shared<Listener>(impl->ioc, std::move(acceptor), impl->shared);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }

std::size_t Server::open_connections() const { return impl_->shared.connections.load(); }

void Server::Run() {
  // Signals are taken over only while the server runs.
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGHUP);
  impl_->listener->Accept();
  impl_->WaitForSignal();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->shared.options.threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& thread : threads) thread.join();
  beast::error_code ignored;
  impl_->signals.clear(ignored);
}

void Server::Stop() {
  net::post(impl_->ioc, [this] { impl_->StopNow(); });
}

Status Server::ReloadCertificate() { return impl_->Reload(); }

}  // namespace amparo::gateway
