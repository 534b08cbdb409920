#pragma once
// server.h: the HTTPS server. Boost.Beast lives in server.cc alone; this
// header exposes only the project's types.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/limits.h"
#include "common/result.h"
#include "gateway/request_handler.h"

namespace amparo::gateway {

// ServerOptions are validated against the ceilings in common/limits.h by the
// configuration loader before they reach the server.
struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port (tests)
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

// Server accepts TLS connections and serves them with a fixed thread pool;
// each connection runs on its own strand, with a deadline on every stage.
// SIGTERM and SIGINT stop it gracefully: no new connection is accepted,
// requests in flight finish and get their response, idle connections close.
// SIGHUP reloads the certificate for new connections without dropping any.
class Server {
 public:
  // Create binds the listening socket and loads the certificate; kIo if
  // either fails. The handler must outlive the server.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options,
                                                RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // port returns the bound port (useful when options.port was 0).
  std::uint16_t port() const;
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
