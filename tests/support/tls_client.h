#pragma once
// tls_client.h: a small blocking TLS client on OpenSSL and POSIX sockets, so
// that integration tests drive the gateway as a remote peer would, byte for
// byte, without sharing an HTTP library with the server under test. It does
// not verify the server's certificate (tests use self-signed ones) but can
// report its SHA-256, and it can restrict its TLS versions and ciphers to
// play a client the server must refuse.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace amparo::test {

// TlsVersion names the protocol versions a test may pin.
enum class TlsVersion { kLibraryDefault, kTls11, kTls12, kTls13 };

// TlsClientOptions restrict what the client offers; the defaults are
// OpenSSL's.
struct TlsClientOptions {
  TlsVersion min_version = TlsVersion::kLibraryDefault;
  TlsVersion max_version = TlsVersion::kLibraryDefault;
  // tls12_ciphers is an OpenSSL cipher string for TLS 1.2 and below; empty
  // keeps the default.
  std::string tls12_ciphers;
  // allow_legacy_protocols lowers the client's security level to 0, without
  // which OpenSSL 3 refuses to offer TLS 1.1 at all (and a test that the
  // server refuses it would prove nothing).
  bool allow_legacy_protocols = false;
};

// HttpReply is one parsed HTTP/1.1 response.
struct HttpReply {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order received
  std::string body;

  // Header returns the value of the first header named `name` (ASCII
  // case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  // HeaderCount returns how many headers are named `name`.
  std::size_t HeaderCount(std::string_view name) const;
};

// IoOutcome says how a blocking step ended.
enum class IoOutcome {
  kOk,
  kClosed,   // the peer closed the connection (close_notify, FIN or reset)
  kTimeout,  // the deadline passed with the connection still open
  kError,    // a TLS or socket failure, or an unparseable response
};

// PrintTo names an outcome in test failure messages.
void PrintTo(IoOutcome outcome, std::ostream* out);

// TlsClient is one connection to 127.0.0.1. Every step blocks for at most the
// timeout it is given. Not thread-safe. The first client created makes the
// process ignore SIGPIPE, so that writing to a connection the server closed
// fails with EPIPE instead of killing the test.
class TlsClient {
 public:
  explicit TlsClient(TlsClientOptions options = {});
  // ~TlsClient sends close_notify if the session is up, then closes.
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // ConnectTcp opens a plain TCP connection; false (see last_errno()) if it
  // is refused or times out.
  bool ConnectTcp(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);
  // Handshake runs the TLS handshake over the TCP connection; false if it
  // fails (see last_outcome() and last_tls_reason()).
  bool Handshake(std::chrono::milliseconds timeout = kDefaultTimeout);
  // Connect is ConnectTcp then Handshake.
  bool Connect(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);

  // Send writes all of `bytes` over TLS, or over plain TCP if no handshake
  // was made (the onion listener); false if the connection fails.
  bool Send(std::string_view bytes, std::chrono::milliseconds timeout = kDefaultTimeout);
  // SendSlowly writes `bytes` in pieces of `piece` bytes, each its own TLS
  // record and TCP segment, pausing `pause` after each piece but the last.
  bool SendSlowly(std::string_view bytes, std::size_t piece, std::chrono::milliseconds pause);

  // ReadResponse reads one complete response (a 1xx response has no body;
  // otherwise Content-Length is honoured, and without it the body runs to
  // the close). nullopt if the deadline passes, the peer closes first or the
  // bytes are not HTTP/1.1; last_outcome() says which.
  std::optional<HttpReply> ReadResponse(std::chrono::milliseconds timeout = kDefaultTimeout);

  // WaitForClose waits until the peer closes the connection (kClosed) or the
  // deadline passes (kTimeout). Bytes that arrive meanwhile are kept and
  // visible in unread().
  IoOutcome WaitForClose(std::chrono::milliseconds timeout);

  // Close sends close_notify (if the session is up) and closes the socket.
  void Close();

  // PeerCertificateSha256 returns the lower-case hex SHA-256 of the DER
  // certificate the server presented, or "" before a handshake.
  std::string PeerCertificateSha256() const;
  // protocol and cipher name what the handshake negotiated ("" before one).
  std::string protocol() const;
  std::string cipher() const;

  // unread returns the received bytes no response has consumed.
  const std::string& unread() const { return received_; }
  IoOutcome last_outcome() const { return last_outcome_; }
  // last_errno is the errno of the last failed socket call.
  int last_errno() const { return last_errno_; }
  // last_tls_reason is the OpenSSL reason code (ERR_GET_REASON) of the first
  // error of the last failed TLS step, e.g. SSL_R_TLSV1_ALERT_PROTOCOL_VERSION
  // when the server refused the offered version; 0 if there was none.
  int last_tls_reason() const { return last_tls_reason_; }
  // peer_sent_close_notify says whether the server closed the TLS session
  // properly before closing the connection.
  bool peer_sent_close_notify() const { return peer_sent_close_notify_; }

  static constexpr std::chrono::milliseconds kDefaultTimeout{5000};

 private:
  using Clock = std::chrono::steady_clock;
  // ReadSome appends at least one received byte to received_, or says why
  // it could not before the deadline.
  IoOutcome ReadSome(Clock::time_point deadline);
  // SendPlain writes all of `bytes` to the socket itself.
  bool SendPlain(std::string_view bytes, Clock::time_point deadline);
  // WaitFor polls the socket for `events` until the deadline; false on timeout.
  bool WaitFor(short events, Clock::time_point deadline);
  // TlsStep maps a failed SSL_* call's result to an outcome, waiting for the
  // socket when OpenSSL asks to; nullopt means "retry the call". A failed
  // write does not mark the connection closed for reading: what the server
  // sent before closing may still be waiting to be read.
  std::optional<IoOutcome> TlsStep(int result, Clock::time_point deadline, bool writing = false);

  TlsClientOptions options_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool session_up_ = false;
  bool peer_closed_ = false;
  bool peer_sent_close_notify_ = false;
  std::string received_;
  IoOutcome last_outcome_ = IoOutcome::kOk;
  int last_errno_ = 0;
  int last_tls_reason_ = 0;
};

// CertificateFileSha256 returns the lower-case hex SHA-256 of the DER form of
// the first certificate in a PEM file, or "" if it cannot be read.
std::string CertificateFileSha256(const std::filesystem::path& pem_file);

}  // namespace amparo::test
