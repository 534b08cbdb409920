#pragma once
// server.h: the HTTPS server, and its plain-HTTP listener for a Tor onion
// service. Boost.Beast lives in server.cc alone; this header exposes only the
// project's types.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/limits.h"
#include "common/result.h"
#include "gateway/request_handler.h"

namespace amparo::gateway {

// kOnionListenAddress is where the onion listener binds, whatever
// ServerOptions::address says: plain HTTP must never leave the host, and Tor
// reaches it there.
inline constexpr std::string_view kOnionListenAddress = "127.0.0.1";

// ServerOptions are validated against the ceilings in common/limits.h by the
// configuration loader before they reach the server.
struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port (tests)
  // onion_port, if set, opens a second listener on kOnionListenAddress that
  // speaks plain HTTP, for a Tor onion service (deploy/tor): Tor encrypts and
  // authenticates the traffic end to end, and Tor Browser warns about any
  // certificate not issued for the .onion name. It serves the same API and
  // page with the same limits, timeouts and connection cap, answers only
  // requests whose Host is a .onion name (421 otherwise), and sends no HSTS.
  // 0 picks a free port (tests).
  std::optional<std::uint16_t> onion_port;
  std::size_t threads = 2;
  std::size_t max_connections = 1024;
  // body_budget_bytes bounds the bodies held by all connections together
  // (gateway/body_budget.h); lowered by tests only.
  std::size_t body_budget_bytes = limits::kMaxBufferedBodyBytes;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{30};
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

// Server accepts TLS connections (and, if asked, plain ones on the onion
// listener) and serves them with a fixed thread pool;
// each connection runs on its own strand, with a deadline on every stage.
// SIGTERM and SIGINT stop it gracefully: no new connection is accepted,
// requests in flight finish and get their response, idle connections close.
// SIGHUP reloads the certificate for new connections without dropping any.
class Server {
 public:
  // Create binds the listening sockets and loads the certificate; kIo if
  // any fails. The handler must outlive the server.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options,
                                                RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // port returns the bound port (useful when options.port was 0).
  std::uint16_t port() const;
  // onion_port returns the onion listener's bound port, if it has one.
  std::optional<std::uint16_t> onion_port() const;
  // Run serves until a stop; it returns once every connection has closed.
  void Run();
  // Stop asks for a graceful stop, as SIGTERM does; safe from any thread.
  void Stop();
  // ReloadCertificate rereads the certificate and key for new connections;
  // the current ones keep theirs. kIo (and no change) if they do not load.
  Status ReloadCertificate();
  // open_connections is the number of connections now open.
  std::size_t open_connections() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace amparo::gateway
