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
#include <type_traits>
#include <vector>

#include "common/limits.h"
#include "gateway/body_budget.h"
#include "gateway/http_request_parse.h"
#include "gateway/onion_host.h"
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
constexpr unsigned kMisdirectedRequest = 421;

using TlsStream = ssl::stream<beast::tcp_stream>;
using PlainStream = beast::tcp_stream;

HttpMethod MethodOf(http::verb verb) {
  switch (verb) {
    case http::verb::get: return HttpMethod::kGet;
    case http::verb::head: return HttpMethod::kHead;
    case http::verb::post: return HttpMethod::kPost;
    case http::verb::put: return HttpMethod::kPut;
    default: return HttpMethod::kOther;
  }
}

// SessionBase is what the listeners and a stop see of a session, whatever
// its transport.
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // CloseIfIdle ends the connection unless a request is being served.
  virtual void CloseIfIdle() = 0;
  // ClaimForEviction marks the session as the one to close for a newcomer
  // and says whether it could: not if the handler has the connection's
  // request or its response is being written (those are never cut, so that
  // nothing acknowledged goes unanswered), nor if another listener's
  // newcomer claimed it first. Called under Shared::sessions_mutex.
  virtual bool ClaimForEviction() = 0;
  // Evict closes a claimed connection, unless it has meanwhile handed a
  // request to the handler.
  virtual void Evict() = 0;
};

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
  std::list<std::weak_ptr<SessionBase>> sessions;

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

// Session serves one connection, over TLS (TlsStream) or, on the onion
// listener, plain HTTP (PlainStream). It keeps itself alive through its
// pending operations, runs on its own strand, sets a deadline before every
// step, uses a fresh parser with limits for every request, and answers one
// request at a time (no pipelining queue to grow).
template <class Stream>
class Session final : public SessionBase {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  static constexpr Transport kTransport = kTls ? Transport::kTls : Transport::kOnion;

  Session(tcp::socket&& socket, std::shared_ptr<ssl::context> tls, Shared& shared)
    requires kTls
      : tls_(std::move(tls)), stream_(std::move(socket), *tls_), shared_(shared) {
    ++shared_.connections;
  }
  Session(tcp::socket&& socket, Shared& shared)
    requires(!kTls)
      : stream_(std::move(socket)), shared_(shared) {
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
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->ReadHeader(/*first=*/true);
      }
    });
  }

  void CloseIfIdle() override {
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if (!self->busy_) self->Close();
    });
  }

  bool ClaimForEviction() override {
    if (in_handler_.load()) return false;
    bool claimed = false;
    return evicted_.compare_exchange_strong(claimed, true);
  }

  void Evict() override {
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if (!self->in_handler_) self->Close();
      else self->evicted_ = false;
    });
  }

 private:
  std::shared_ptr<Session> Self() { return std::static_pointer_cast<Session>(shared_from_this()); }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Handshake() {
    Lowest().expires_after(shared_.options.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = Self()](beast::error_code ec) {
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
                            [self = Self()](beast::error_code e, std::size_t n) {
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
    // The onion listener is plain HTTP for Tor alone: a request that names
    // another host came some other way and is not answered in clear.
    if constexpr (!kTls) {
      if (header.count(http::field::host) != 1 ||
          !IsOnionHost(std::string_view(header[http::field::host]))) {
        HttpResponse refusal = shared_.handler.ErrorResponse(Error::kRefused);
        refusal.status = kMisdirectedRequest;
        return Write(std::move(refusal), /*keep_alive=*/false);
      }
    }
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
                               [self = Self(), cont](beast::error_code e, std::size_t) {
                                 if (e) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(shared_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = Self()](beast::error_code ec, std::size_t) {
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
                           [self = Self(), keep_alive, tracked](HttpResponse response) {
                             net::post(tracked,
                                       [self, keep_alive, r = std::move(response)]() mutable {
                                         self->Write(std::move(r), keep_alive);
                                       });
                           });
  }

  void Write(HttpResponse response, bool keep_alive) {
    busy_ = true;
    response_.emplace(static_cast<http::status>(response.status), 11);
    for (const auto& [name, value] : SecurityHeaders(kTransport)) {
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
                      [self = Self()](beast::error_code ec, std::size_t) {
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
    if constexpr (kTls) {
      stream_.async_shutdown([self = Self()](beast::error_code) { self->Close(); });
    } else {
      // Plain TCP has no close_notify: end the sending side, then drop what
      // the client still sends until it closes or the timeout passes.
      // Closing with bytes unread would reset the connection, and the reset
      // can destroy the response before the client reads it.
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }

  // Drain reads and drops bytes until the client closes, then closes.
  void Drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(buffer_.max_size()),
                            [self = Self()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
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

  std::shared_ptr<ssl::context> tls_;  // outlives stream_, which refers to it; TLS only
  Stream stream_;
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
  std::list<std::weak_ptr<SessionBase>>::iterator registration_;
};

// Listener accepts connections up to the cap. At the cap, the connection that
// has gone longest without completing a request is closed to make room, so
// that a flood of idle or slow connections cannot lock newcomers out; when
// every connection is being served, or evictions already overshoot the cap
// by an eighth, the new connection is closed at once. Descriptors and memory
// stay bounded either way.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `transport` says what its sessions speak: TLS, or plain HTTP for Tor.
  Listener(net::io_context& ioc, tcp::acceptor&& acceptor, Shared& shared, Transport transport)
      : ioc_(ioc), acceptor_(std::move(acceptor)), backoff_(acceptor_.get_executor()),
        shared_(shared), transport_(transport) {}

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
      if (transport_ == Transport::kTls) {
        std::make_shared<Session<TlsStream>>(std::move(socket), shared_.CurrentTls(), shared_)
            ->Start();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), shared_)->Start();
      }
    }
    Accept();
  }

  // EvictOldest closes the least recently useful evictable connection;
  // false if there is none.
  bool EvictOldest() {
    std::shared_ptr<SessionBase> victim;
    // A session released under the lock could be its last owner, whose
    // destructor takes the lock: the ones looked at are released after.
    std::vector<std::shared_ptr<SessionBase>> seen;
    {
      std::lock_guard lock(shared_.sessions_mutex);
      for (auto& weak : shared_.sessions) {
        auto session = weak.lock();
        if (session && session->ClaimForEviction()) {
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
  const Transport transport_;
};

// BindAcceptor opens, binds and listens on address:port; kInvalidArgument
// for an address that does not parse, kIo if the socket cannot be had.
Result<tcp::acceptor> BindAcceptor(net::io_context& ioc, std::string_view address_text,
                                   std::uint16_t port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(address_text, ec);
  if (ec) return Error::kInvalidArgument;
  tcp::acceptor acceptor(net::make_strand(ioc));
  const tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error::kIo;
  return acceptor;
}

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
    if (onion_listener) onion_listener->Stop();
    beast::error_code ignored;
    signals.cancel(ignored);
    std::vector<std::shared_ptr<SessionBase>> open;
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
  std::shared_ptr<Listener> onion_listener;  // none unless options.onion_port is set
  std::uint16_t port = 0;
  std::optional<std::uint16_t> onion_port;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options,
                                               RequestHandler& handler) {
  auto impl = std::make_unique<Impl>(options, handler);
  auto tls = MakeTls(options);
  if (!tls.ok()) return tls.error();
  impl->shared.tls = std::move(tls).value();

  auto acceptor = BindAcceptor(impl->ioc, options.address, options.port);
  if (!acceptor.ok()) return acceptor.error();
  impl->port = acceptor.value().local_endpoint().port();
  impl->listener = std::make_shared<Listener>(impl->ioc, std::move(acceptor).value(),
                                              impl->shared, Transport::kTls);
  if (options.onion_port) {
    auto onion = BindAcceptor(impl->ioc, kOnionListenAddress, *options.onion_port);
    if (!onion.ok()) return onion.error();
    impl->onion_port = onion.value().local_endpoint().port();
    impl->onion_listener = std::make_shared<Listener>(impl->ioc, std::move(onion).value(),
                                                      impl->shared, Transport::kOnion);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }

std::optional<std::uint16_t> Server::onion_port() const { return impl_->onion_port; }

std::size_t Server::open_connections() const { return impl_->shared.connections.load(); }

void Server::Run() {
  // Signals are taken over only while the server runs.
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGHUP);
  impl_->listener->Accept();
  if (impl_->onion_listener) impl_->onion_listener->Accept();
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
