#include "submit/tls_stream.h"

#include "common/tls_policy.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <csignal>

namespace amparo::submit {
namespace {

// The same forward-secret AEAD suites the gateway offers.

// AcceptDemoSelfSigned lets exactly one verification error through: a chain
// that is a single self-signed certificate. Name, validity and every other
// check still apply.
int AcceptDemoSelfSigned(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 1) return 1;
  return X509_STORE_CTX_get_error(store) == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT &&
                 X509_STORE_CTX_get_error_depth(store) == 0
             ? 1
             : 0;
}

std::string_view DescribeVerifyResult(long result) {
  switch (result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return "the gateway's TLS certificate does not name this host";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "the gateway's TLS certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "the gateway's TLS certificate is not yet valid (check this device's clock)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return "the gateway's TLS certificate is self-signed and not trusted";
    default:
      return "the gateway's TLS certificate is not issued by a trusted authority";
  }
}

// WaitFor maps an OpenSSL "retry" result to a poll on the socket; false on
// any other result or when the deadline passes.
bool WaitFor(int ssl_error, int fd, Deadline deadline) {
  if (ssl_error == SSL_ERROR_WANT_READ) return WaitForFd(fd, POLLIN, deadline);
  if (ssl_error == SSL_ERROR_WANT_WRITE) return WaitForFd(fd, POLLOUT, deadline);
  return false;
}

bool IsRetry(int ssl_error) {
  return ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE;
}

}  // namespace

Result<std::unique_ptr<TlsContext>> TlsContext::Create(const TlsPolicy& policy) {
  // OpenSSL writes to the socket with write(2), which raises SIGPIPE when the
  // peer has gone; a closed connection must be an error to handle, not the
  // end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Error::kIo;
  std::unique_ptr<TlsContext> context(new TlsContext(ctx));
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) {
    return Error::kIo;
  }
  // No session resumption: a resumed session would link this connection to
  // an earlier one, for instance across two submissions by the same person.
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                               SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!policy.cacert_file.empty()) {
    if (SSL_CTX_load_verify_file(ctx, policy.cacert_file.c_str()) != 1) return Error::kIo;
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return Error::kIo;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, policy.insecure_demo ? AcceptDemoSelfSigned : nullptr);
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<std::unique_ptr<TlsStream>> TlsStream::Handshake(const TlsContext& context,
                                                        std::unique_ptr<TcpStream> tcp,
                                                        const std::string& host,
                                                        Deadline deadline, TlsOutcome* outcome) {
  const auto fail = [outcome](Error error, std::string_view description) {
    outcome->description = description;
    return error;
  };
  ERR_clear_error();
  SSL* ssl = SSL_new(context.native());
  if (ssl == nullptr) return fail(Error::kIo, "cannot set up TLS");
  std::unique_ptr<TlsStream> stream(new TlsStream(ssl, std::move(tcp)));
  const int fd = stream->tcp_->fd();
  if (SSL_set_fd(ssl, fd) != 1) return fail(Error::kIo, "cannot set up TLS");

  // The certificate must name the host: by IP address for a literal, by DNS
  // name otherwise (and only then is the name sent as SNI, as RFC 6066 asks).
  if (IsIpLiteral(host)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return fail(Error::kIo, "cannot set up TLS");
    }
  } else {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    // SSL_set_tlsext_host_name, without the macro's old-style cast; OpenSSL
    // copies the name and does not modify it.
    void* sni = const_cast<char*>(host.c_str());
    if (SSL_set1_host(ssl, host.c_str()) != 1 ||
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni) != 1) {
      return fail(Error::kIo, "cannot set up TLS");
    }
  }

  for (;;) {
    ERR_clear_error();
    const int result = SSL_connect(ssl);
    if (result == 1) break;
    const int error = SSL_get_error(ssl, result);
    if (IsRetry(error)) {
      if (!WaitFor(error, fd, deadline)) {
        return fail(Error::kUnavailable, "the TLS handshake with the gateway timed out");
      }
      continue;
    }
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) return fail(Error::kBadSignature, DescribeVerifyResult(verify));
    if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) {
      return fail(Error::kUnavailable, "the gateway closed the connection during the TLS handshake");
    }
    return fail(Error::kIo, "the TLS handshake with the gateway failed");
  }
  // Belt and braces: SSL_VERIFY_PEER already failed the handshake otherwise.
  if (SSL_get0_peer_certificate(ssl) == nullptr) {
    return fail(Error::kBadSignature, "the gateway presented no TLS certificate");
  }
  outcome->description = {};
  return stream;
}

TlsStream::~TlsStream() {
  // No close_notify: the peer learns nothing from it, and a blocked write
  // here could outlast every deadline.
  SSL_free(ssl_);
}

Status TlsStream::WriteAll(std::span<const std::uint8_t> data, Deadline deadline) {
  while (!data.empty()) {
    ERR_clear_error();
    std::size_t written = 0;
    const int result = SSL_write_ex(ssl_, data.data(), data.size(), &written);
    if (result == 1) {
      data = data.subspan(written);
      continue;
    }
    const int error = SSL_get_error(ssl_, result);
    if (IsRetry(error)) {
      if (!WaitFor(error, tcp_->fd(), deadline)) return Error::kUnavailable;
      continue;
    }
    return error == SSL_ERROR_SYSCALL ? Error::kUnavailable : Error::kIo;
  }
  return OkStatus();
}

Result<std::size_t> TlsStream::ReadSome(std::span<std::uint8_t> out, Deadline deadline) {
  if (out.empty()) return std::size_t{0};
  for (;;) {
    ERR_clear_error();
    std::size_t got = 0;
    const int result = SSL_read_ex(ssl_, out.data(), out.size(), &got);
    if (result == 1) return got;
    const int error = SSL_get_error(ssl_, result);
    if (IsRetry(error)) {
      if (!WaitFor(error, tcp_->fd(), deadline)) return Error::kUnavailable;
      continue;
    }
    if (error == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
    // With SSL_OP_IGNORE_UNEXPECTED_EOF a bare end of stream is ZERO_RETURN;
    // a reset connection is SYSCALL.
    return error == SSL_ERROR_SYSCALL ? Error::kUnavailable : Error::kIo;
  }
}

bool TlsStream::PeerClosedOrReadable() {
  if (SSL_pending(ssl_) > 0) return true;
  if (!tcp_->PeerClosedOrReadable()) return false;
  // Bytes on an idle connection may be a TLS 1.3 post-handshake message (a
  // session ticket), which leaves the connection usable; a non-blocking peek
  // consumes it and tells it apart from data or an end of stream.
  ERR_clear_error();
  std::uint8_t byte = 0;
  std::size_t got = 0;
  const int result = SSL_peek_ex(ssl_, &byte, 1, &got);
  if (result == 1) return true;
  return SSL_get_error(ssl_, result) != SSL_ERROR_WANT_READ;
}

}  // namespace amparo::submit
