#pragma once
// tls_stream.h: the client's TLS, on OpenSSL: TLS 1.2 or 1.3 with forward-
// secret AEAD suites only, the gateway's certificate verified against the
// system's trust store or one CA file, and its name checked.

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "submit/deadline.h"
#include "submit/stream.h"
#include "submit/tcp.h"

struct ssl_ctx_st;
struct ssl_st;

namespace amparo::submit {

// TlsPolicy says how the gateway's certificate is checked.
struct TlsPolicy {
  // cacert_file, if not empty, is a PEM file of the only authorities trusted
  // (the system store is then not consulted).
  std::string cacert_file;
  // insecure_demo accepts a certificate that is self-signed (a single
  // certificate, as the gateway's demo mode creates), still checking its
  // name and validity period. Any other verification failure still fails.
  bool insecure_demo = false;
};

// TlsContext holds the OpenSSL context shared by every connection; it owns
// it and frees it on destruction.
class TlsContext {
 public:
  // Create applies the policy; kIo if the CA file or the system trust store
  // cannot be loaded. It sets SIGPIPE to be ignored for the whole process.
  static Result<std::unique_ptr<TlsContext>> Create(const TlsPolicy& policy);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* native() const { return ctx_; }

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

// TlsOutcome describes a failed handshake for the person (fixed text).
struct TlsOutcome {
  std::string_view description;
};

// TlsStream is TLS over a TCP stream it owns.
class TlsStream final : public Stream {
 public:
  // Handshake runs the TLS handshake with `host` over tcp. Errors:
  // kBadSignature if the certificate does not verify or does not name host;
  // kUnavailable if the deadline passes or the peer closes; kIo otherwise.
  // outcome->description says which. The context must outlive the stream.
  static Result<std::unique_ptr<TlsStream>> Handshake(const TlsContext& context,
                                                      std::unique_ptr<TcpStream> tcp,
                                                      const std::string& host, Deadline deadline,
                                                      TlsOutcome* outcome);
  ~TlsStream() override;
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  Status WriteAll(std::span<const std::uint8_t> data, Deadline deadline) override;
  // ReadSome returns 0 at the end of the stream, with or without a TLS
  // close_notify: every response is delimited by its Content-Length, so a
  // truncation is caught there.
  Result<std::size_t> ReadSome(std::span<std::uint8_t> out, Deadline deadline) override;
  bool PeerClosedOrReadable() override;

 private:
  TlsStream(ssl_st* ssl, std::unique_ptr<TcpStream> tcp) : ssl_(ssl), tcp_(std::move(tcp)) {}
  ssl_st* ssl_;
  std::unique_ptr<TcpStream> tcp_;
};

}  // namespace amparo::submit
