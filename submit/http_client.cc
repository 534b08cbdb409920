#include "submit/http_client.h"

#include <algorithm>
#include <array>

#include "common/byte_reader.h"

#include "submit/client_limits.h"
#include "submit/http_request.h"
#include "submit/http_response_parser.h"
#include "submit/socks5.h"
#include "submit/tcp.h"

namespace amparo::submit {
namespace {

constexpr std::size_t kReadChunkBytes = 16 * 1024;
constexpr std::string_view kHttpVersionPrefix = "HTTP/1.1 ";

std::string_view DescribeReadError(Error error) {
  switch (error) {
    case Error::kLimitExceeded: return "the gateway's answer is larger than allowed";
    case Error::kUnavailable: return "the connection to the gateway broke or timed out";
    default: return "the gateway's answer is not a valid HTTP/1.1 response";
  }
}

}  // namespace

Result<std::unique_ptr<TlsConnector>> TlsConnector::Create(const ClientOptions& options) {
  if (options.gateway.onion && !options.socks5.has_value()) return Error::kInvalidArgument;
  if (!options.gateway.tls && !options.gateway.onion) return Error::kInvalidArgument;
  auto context = TlsContext::Create(options.tls);
  if (!context.ok()) return context.error();
  return std::unique_ptr<TlsConnector>(new TlsConnector(options, std::move(context.value())));
}

Result<std::unique_ptr<Stream>> TlsConnector::Connect() {
  const HostPort& gateway = options_.gateway.address;
  std::unique_ptr<TcpStream> tcp;
  if (options_.socks5.has_value()) {
    auto proxy = TcpStream::Connect(options_.socks5->host, options_.socks5->port,
                                    Deadline::InSeconds(client_limits::kResolveSeconds),
                                    std::chrono::seconds(client_limits::kConnectSeconds));
    if (!proxy.ok()) {
      last_failure_ = "cannot connect to the SOCKS5 proxy";
      return proxy.error();
    }
    Socks5Outcome outcome;
    const Status tunnel = Socks5Connect(*proxy.value(), gateway.host, gateway.port,
                                        Deadline::InSeconds(client_limits::kProxyConnectSeconds), &outcome);
    if (!tunnel.ok()) {
      last_failure_ = outcome.description;
      return tunnel.error();
    }
    tcp = std::move(proxy.value());
  } else {
    auto direct = TcpStream::Connect(gateway.host, gateway.port,
                                     Deadline::InSeconds(client_limits::kResolveSeconds),
                                     std::chrono::seconds(client_limits::kConnectSeconds));
    if (!direct.ok()) {
      last_failure_ = "cannot connect to the gateway";
      return direct.error();
    }
    tcp = std::move(direct.value());
  }
  if (!options_.gateway.tls) {
    // An onion service over plain HTTP: Create made sure of both, and the
    // proxy is Tor.
    last_failure_ = {};
    return std::unique_ptr<Stream>(std::move(tcp));
  }
  TlsOutcome outcome;
  auto tls = TlsStream::Handshake(*context_, std::move(tcp), gateway.host,
                                  Deadline::InSeconds(client_limits::kTlsHandshakeSeconds), &outcome);
  if (!tls.ok()) {
    last_failure_ = outcome.description;
    return tls.error();
  }
  last_failure_ = {};
  return std::unique_ptr<Stream>(std::move(tls.value()));
}

GatewayClient::GatewayClient(std::unique_ptr<Connector> connector, std::string host_header,
                             std::chrono::milliseconds io_timeout)
    : connector_(std::move(connector)),
      host_header_(std::move(host_header)),
      io_timeout_(io_timeout) {}

Result<std::unique_ptr<GatewayClient>> GatewayClient::Create(const ClientOptions& options) {
  auto connector = TlsConnector::Create(options);
  if (!connector.ok()) return connector.error();
  return std::make_unique<GatewayClient>(std::move(connector.value()), options.gateway.host_header);
}

Result<HttpReply> GatewayClient::Get(std::string_view target, std::size_t max_body_bytes) {
  return Exchange("GET", target, {}, std::nullopt, max_body_bytes);
}

Result<HttpReply> GatewayClient::Post(std::string_view target, std::string_view content_type,
                                      std::span<const std::uint8_t> body,
                                      std::size_t max_body_bytes) {
  return Exchange("POST", target, content_type, body, max_body_bytes);
}

Result<HttpReply> GatewayClient::Put(std::string_view target, std::string_view content_type,
                                     std::span<const std::uint8_t> body,
                                     std::size_t max_body_bytes) {
  return Exchange("PUT", target, content_type, body, max_body_bytes);
}

Status GatewayClient::EnsureConnected(bool* reused) {
  const auto now = std::chrono::steady_clock::now();
  if (stream_ != nullptr && (now - last_used_ > std::chrono::seconds(client_limits::kIdleReuseSeconds) ||
                             stream_->PeerClosedOrReadable())) {
    stream_.reset();
  }
  *reused = stream_ != nullptr;
  if (stream_ != nullptr) return OkStatus();
  auto stream = connector_->Connect();
  if (!stream.ok()) {
    last_failure_ = connector_->last_failure();
    return stream.error();
  }
  stream_ = std::move(stream.value());
  ++connections_opened_;
  return OkStatus();
}

Result<HttpReply> GatewayClient::Exchange(std::string_view method, std::string_view target,
                                          std::string_view content_type,
                                          std::optional<std::span<const std::uint8_t>> body,
                                          std::size_t max_body_bytes) {
  std::optional<std::uint64_t> length;
  if (body.has_value()) length = body->size();
  auto head = FormatRequestHead(method, host_header_, target, content_type, length);
  if (!head.ok()) {
    last_failure_ = "invalid request";
    return head.error();
  }
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    if (Status connected = EnsureConnected(&reused); !connected.ok()) return connected.error();
    const Deadline deadline = Deadline::In(io_timeout_);
    bool received_any = false;
    Status sent = stream_->WriteAll(AsBytes(head.value()), deadline);
    if (sent.ok() && body.has_value() && !body->empty()) sent = stream_->WriteAll(*body, deadline);
    Result<HttpReply> reply = Error::kUnavailable;
    if (sent.ok()) {
      reply = ReadReply(max_body_bytes, &received_any);
    } else {
      reply = sent.error();
      last_failure_ = DescribeReadError(sent.error());
    }
    if (reply.ok()) {
      last_used_ = std::chrono::steady_clock::now();
      last_failure_ = {};
      return reply;
    }
    stream_.reset();
    // A reused connection the gateway closed while it was idle fails at once
    // and before any answer; the request then never reached the gateway and
    // is sent again, once, on a new connection. A timeout, or a connection
    // that broke after the answer began, is reported instead: the gateway may
    // have acted on the request.
    const bool closed_while_idle = reused && !received_any &&
                                   reply.error() == Error::kUnavailable && !deadline.Expired();
    if (!closed_while_idle || attempt > 0) return reply.error();
  }
}

Result<HttpReply> GatewayClient::ReadReply(std::size_t max_body_bytes, bool* received_any) {
  const Deadline deadline = Deadline::In(io_timeout_);
  const auto fail = [this](Error error) -> Error {
    last_failure_ = DescribeReadError(error);
    return error;
  };
  std::vector<std::uint8_t> buffer;
  std::array<std::uint8_t, kReadChunkBytes> chunk{};
  std::size_t head_length = 0;
  for (;;) {
    auto end = FindResponseHeadEnd(buffer);
    if (!end.ok()) return fail(end.error());
    if (end.value().has_value()) {
      head_length = *end.value();
      break;
    }
    auto got = stream_->ReadSome(chunk, deadline);
    if (!got.ok()) return fail(got.error());
    // An end of stream before the answer is complete is a broken
    // connection, not a malformed answer: what arrived was well-formed.
    if (got.value() == 0) return fail(Error::kUnavailable);
    *received_any = true;
    buffer.insert(buffer.end(), chunk.begin(),
                  chunk.begin() + static_cast<std::ptrdiff_t>(got.value()));
    const std::size_t n = std::min(buffer.size(), kHttpVersionPrefix.size());
    if (AsText(std::span<const std::uint8_t>(buffer).first(n)) != kHttpVersionPrefix.substr(0, n)) {
      return fail(Error::kIo);
    }
  }
  const auto bytes = std::span<const std::uint8_t>(buffer);
  auto head = ParseResponseHead(bytes.first(head_length), max_body_bytes);
  if (!head.ok()) return fail(head.error());
  const std::size_t length = static_cast<std::size_t>(head.value().content_length);
  const auto early_body = bytes.subspan(head_length);
  // This client never pipelines: bytes past the body cannot belong to any
  // answer it awaits.
  if (early_body.size() > length) return fail(Error::kIo);

  HttpReply reply;
  reply.status = head.value().status;
  reply.content_type = std::move(head.value().content_type);
  reply.body.resize(length);
  std::copy(early_body.begin(), early_body.end(), reply.body.begin());
  std::size_t have = early_body.size();
  while (have < length) {
    auto got = stream_->ReadSome(std::span<std::uint8_t>(reply.body).subspan(have), deadline);
    if (!got.ok()) return fail(got.error());
    if (got.value() == 0) return fail(Error::kUnavailable);
    have += got.value();
  }
  if (head.value().connection_close) stream_.reset();
  return reply;
}

}  // namespace amparo::submit
