#pragma once
// http_client.h: the client of the gateway's HTTP API (docs/API.md): one
// keep-alive HTTPS connection, opened directly or through a SOCKS5 proxy,
// reopened when it breaks.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "submit/client_limits.h"
#include "submit/gateway_url.h"
#include "submit/stream.h"
#include "submit/tls_stream.h"

namespace amparo::submit {

// HttpReply is a gateway's answer; it owns its body.
struct HttpReply {
  int status = 0;
  std::string content_type;
  std::vector<std::uint8_t> body;
};

// Connector opens a new connection to the gateway. Implementations set a
// deadline on each step of their own.
class Connector {
 public:
  virtual ~Connector() = default;
  // Connect returns a stream ready to carry HTTP; on failure an error
  // (kUnavailable, kBadSignature, kIo, kInvalidArgument) and last_failure()
  // says why.
  virtual Result<std::unique_ptr<Stream>> Connect() = 0;
  // last_failure is a fixed description of the last failed Connect.
  virtual std::string_view last_failure() const = 0;
};

// ClientOptions describes how to reach the gateway.
struct ClientOptions {
  GatewayUrl gateway;
  // socks5 is the proxy to connect through (Tor's is 127.0.0.1:9050); the
  // gateway's name is then resolved by the proxy, never on this device.
  std::optional<HostPort> socks5;
  TlsPolicy tls;
};

// TlsConnector connects over TCP, optionally through SOCKS5, then TLS; to an
// http:// onion address (GatewayUrl::tls false) it skips TLS, as Tor's own
// encryption carries the exchange.
class TlsConnector final : public Connector {
 public:
  // Create builds the TLS context; kIo if the CA file cannot be loaded, and
  // kInvalidArgument for an onion gateway without a proxy (its name would go
  // to the system's DNS resolver, in clear, and fail there), and for plain
  // HTTP to anything but an onion service.
  static Result<std::unique_ptr<TlsConnector>> Create(const ClientOptions& options);
  Result<std::unique_ptr<Stream>> Connect() override;
  std::string_view last_failure() const override { return last_failure_; }

 private:
  TlsConnector(ClientOptions options, std::unique_ptr<TlsContext> context)
      : options_(std::move(options)), context_(std::move(context)) {}
  ClientOptions options_;
  std::unique_ptr<TlsContext> context_;
  std::string_view last_failure_;
};

// GatewayClient sends one request at a time over a reused connection. A
// request fails with kUnavailable (cannot connect, deadline passed,
// connection broke, answer cut short), kBadSignature (TLS certificate), kIo
// (the answer is not a valid HTTP/1.1 response, or TLS failed), kLimitExceeded
// (the answer is larger than the
// caller allows) or kInvalidArgument (a bad target or content type); after a
// failure the connection is dropped and the next request opens a new one.
// Statuses such as 404 or 409 are replies, not errors: the caller reads them.
class GatewayClient {
 public:
  static constexpr std::chrono::milliseconds kDefaultIoTimeout =
      std::chrono::seconds(client_limits::kIoSeconds);

  // GatewayClient uses `connector` for every connection it opens;
  // host_header is sent in each request. io_timeout bounds sending one
  // request, and then reading its answer.
  GatewayClient(std::unique_ptr<Connector> connector, std::string host_header,
                std::chrono::milliseconds io_timeout = kDefaultIoTimeout);

  // Create returns a client for options with a TlsConnector.
  static Result<std::unique_ptr<GatewayClient>> Create(const ClientOptions& options);

  // Get sends GET target; the reply body may hold at most max_body_bytes.
  Result<HttpReply> Get(std::string_view target, std::size_t max_body_bytes);

  // Post sends POST target with a body (borrowed for the call only).
  Result<HttpReply> Post(std::string_view target, std::string_view content_type,
                         std::span<const std::uint8_t> body, std::size_t max_body_bytes);

  // Put sends PUT target with a body (borrowed for the call only).
  Result<HttpReply> Put(std::string_view target, std::string_view content_type,
                        std::span<const std::uint8_t> body, std::size_t max_body_bytes);

  // Disconnect drops the connection; the next request opens a new one.
  void Disconnect() { stream_.reset(); }

  // last_failure is a fixed description of the last failed request, for
  // the one line printed to the person; it never contains received bytes.
  std::string_view last_failure() const { return last_failure_; }

  // connections_opened counts connections opened so far.
  std::size_t connections_opened() const { return connections_opened_; }

 private:
  Result<HttpReply> Exchange(std::string_view method, std::string_view target,
                             std::string_view content_type,
                             std::optional<std::span<const std::uint8_t>> body,
                             std::size_t max_body_bytes);
  Status EnsureConnected(bool* reused);
  Result<HttpReply> ReadReply(std::size_t max_body_bytes, bool* received_any);

  std::unique_ptr<Connector> connector_;
  std::string host_header_;
  std::chrono::milliseconds io_timeout_;
  std::unique_ptr<Stream> stream_;
  std::chrono::steady_clock::time_point last_used_;
  std::size_t connections_opened_ = 0;
  std::string_view last_failure_;
};

}  // namespace amparo::submit
