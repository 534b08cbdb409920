// tls_client.cc: the test TLS client: non-blocking socket, poll() for every
// deadline, OpenSSL for TLS, and a minimal HTTP/1.1 response reader.

#include "tests/support/tls_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <ostream>
#include <thread>

namespace amparo::test {
namespace {

int OpenSslVersion(TlsVersion version) {
  switch (version) {
    case TlsVersion::kTls11: return TLS1_1_VERSION;
    case TlsVersion::kTls12: return TLS1_2_VERSION;
    case TlsVersion::kTls13: return TLS1_3_VERSION;
    case TlsVersion::kLibraryDefault: break;
  }
  return 0;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

std::string Hex(const unsigned char* data, unsigned size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

std::string CertificateSha256(X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (certificate == nullptr || X509_digest(certificate, EVP_sha256(), digest, &size) != 1) {
    return "";
  }
  return Hex(digest, size);
}

// ParseStatusAndHeaders parses the head (without its final CRLF CRLF);
// false if it is not an HTTP/1.1 response head.
bool ParseHead(std::string_view head, HttpReply& reply) {
  const std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") return false;
  unsigned status = 0;
  for (char c : status_line.substr(9, 3)) {
    if (c < '0' || c > '9') return false;
    status = status * 10 + static_cast<unsigned>(c - '0');
  }
  reply.status = status;
  std::size_t at = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (at < head.size()) {
    std::size_t end = head.find("\r\n", at);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = head.substr(at, end - at);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    reply.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    at = end + 2;
  }
  return true;
}

void IgnoreSigpipeOnce() {
  static const bool ignored = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

}  // namespace

void PrintTo(IoOutcome outcome, std::ostream* out) {
  switch (outcome) {
    case IoOutcome::kOk: *out << "ok"; return;
    case IoOutcome::kClosed: *out << "closed by the peer"; return;
    case IoOutcome::kTimeout: *out << "timed out"; return;
    case IoOutcome::kError: *out << "failed"; return;
  }
  *out << "unknown outcome";
}

std::optional<std::string> HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return value;
  }
  return std::nullopt;
}

std::size_t HttpReply::HeaderCount(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(
      headers.begin(), headers.end(), [&](const auto& h) { return EqualsIgnoringCase(h.first, name); }));
}

TlsClient::TlsClient(TlsClientOptions options) : options_(std::move(options)) {
  IgnoreSigpipeOnce();
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) std::abort();
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  if (options_.allow_legacy_protocols) SSL_CTX_set_security_level(ctx_, 0);
  if (const int v = OpenSslVersion(options_.min_version); v != 0) {
    if (SSL_CTX_set_min_proto_version(ctx_, v) != 1) std::abort();
  }
  if (const int v = OpenSslVersion(options_.max_version); v != 0) {
    if (SSL_CTX_set_max_proto_version(ctx_, v) != 1) std::abort();
  }
  if (!options_.tls12_ciphers.empty()) {
    std::string ciphers = options_.tls12_ciphers;
    if (options_.allow_legacy_protocols) ciphers += ":@SECLEVEL=0";
    if (SSL_CTX_set_cipher_list(ctx_, ciphers.c_str()) != 1) std::abort();
  } else if (options_.allow_legacy_protocols) {
    if (SSL_CTX_set_cipher_list(ctx_, "DEFAULT:@SECLEVEL=0") != 1) std::abort();
  }
}

TlsClient::~TlsClient() {
  Close();
  SSL_CTX_free(ctx_);
}

bool TlsClient::ConnectTcp(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    last_errno_ = errno;
    return false;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) {
      last_errno_ = errno;
      return false;
    }
    if (!WaitFor(POLLOUT, deadline)) {
      last_errno_ = ETIMEDOUT;
      return false;
    }
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      last_errno_ = error;
      return false;
    }
  }
  return true;
}

bool TlsClient::Handshake(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  ssl_ = SSL_new(ctx_);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) std::abort();
  for (;;) {
    ERR_clear_error();
    const int result = SSL_connect(ssl_);
    if (result == 1) break;
    if (auto outcome = TlsStep(result, deadline)) {
      last_outcome_ = *outcome;
      return false;
    }
  }
  session_up_ = true;
  last_outcome_ = IoOutcome::kOk;
  return true;
}

bool TlsClient::Connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  return ConnectTcp(port, timeout) && Handshake(timeout);
}

bool TlsClient::Send(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (ssl_ == nullptr) return SendPlain(bytes, deadline);
  while (!bytes.empty()) {
    ERR_clear_error();
    const int result = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    if (result > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(result));
      continue;
    }
    if (auto outcome = TlsStep(result, deadline, /*writing=*/true)) {
      last_outcome_ = *outcome;
      return false;
    }
  }
  last_outcome_ = IoOutcome::kOk;
  return true;
}

bool TlsClient::SendPlain(std::string_view bytes, Clock::time_point deadline) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (!WaitFor(POLLOUT, deadline)) {
        last_outcome_ = IoOutcome::kTimeout;
        return false;
      }
      continue;
    }
    last_errno_ = errno;
    last_outcome_ = errno == EPIPE || errno == ECONNRESET ? IoOutcome::kClosed : IoOutcome::kError;
    return false;
  }
  last_outcome_ = IoOutcome::kOk;
  return true;
}

bool TlsClient::SendSlowly(std::string_view bytes, std::size_t piece,
                           std::chrono::milliseconds pause) {
  while (!bytes.empty()) {
    const std::size_t size = std::min(piece, bytes.size());
    if (!Send(bytes.substr(0, size))) return false;
    bytes.remove_prefix(size);
    if (!bytes.empty()) std::this_thread::sleep_for(pause);
  }
  return true;
}

std::optional<HttpReply> TlsClient::ReadResponse(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const std::size_t head_end = received_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      HttpReply reply;
      if (!ParseHead(std::string_view(received_).substr(0, head_end), reply)) {
        last_outcome_ = IoOutcome::kError;
        return std::nullopt;
      }
      const std::size_t body_start = head_end + 4;
      std::optional<std::size_t> length;
      if (reply.status / 100 == 1 || reply.status == 204 || reply.status == 304) length = 0;
      if (auto declared = reply.Header("Content-Length")) length = std::stoul(*declared);
      if (length) {
        if (received_.size() - body_start >= *length) {
          reply.body = received_.substr(body_start, *length);
          received_.erase(0, body_start + *length);
          last_outcome_ = IoOutcome::kOk;
          return reply;
        }
      } else if (peer_closed_) {
        reply.body = received_.substr(body_start);
        received_.clear();
        last_outcome_ = IoOutcome::kOk;
        return reply;
      }
    }
    if (peer_closed_) {
      last_outcome_ = IoOutcome::kClosed;
      return std::nullopt;
    }
    const IoOutcome outcome = ReadSome(deadline);
    if (outcome == IoOutcome::kClosed) continue;  // the body may run to the close
    if (outcome != IoOutcome::kOk) {
      last_outcome_ = outcome;
      return std::nullopt;
    }
  }
}

IoOutcome TlsClient::WaitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (peer_closed_) return last_outcome_ = IoOutcome::kClosed;
    const IoOutcome outcome = ReadSome(deadline);
    if (outcome == IoOutcome::kOk) continue;
    return last_outcome_ = outcome;
  }
}

IoOutcome TlsClient::ReadSome(Clock::time_point deadline) {
  if (peer_closed_) return IoOutcome::kClosed;
  char chunk[16384];
  if (ssl_ == nullptr) {
    // Plain TCP: a connection that never did TLS (the onion listener, or a
    // client the server must refuse).
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        received_.append(chunk, static_cast<std::size_t>(n));
        return IoOutcome::kOk;
      }
      if (n == 0 || errno == ECONNRESET) {
        peer_closed_ = true;
        return IoOutcome::kClosed;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        last_errno_ = errno;
        return IoOutcome::kError;
      }
      if (!WaitFor(POLLIN, deadline)) return IoOutcome::kTimeout;
    }
  }
  for (;;) {
    ERR_clear_error();
    const int result = SSL_read(ssl_, chunk, static_cast<int>(sizeof chunk));
    if (result > 0) {
      received_.append(chunk, static_cast<std::size_t>(result));
      return IoOutcome::kOk;
    }
    if (auto outcome = TlsStep(result, deadline)) return *outcome;
  }
}

std::optional<IoOutcome> TlsClient::TlsStep(int result, Clock::time_point deadline,
                                            bool writing) {
  const int error = SSL_get_error(ssl_, result);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      if (!WaitFor(POLLIN, deadline)) return IoOutcome::kTimeout;
      return std::nullopt;
    case SSL_ERROR_WANT_WRITE:
      if (!WaitFor(POLLOUT, deadline)) return IoOutcome::kTimeout;
      return std::nullopt;
    case SSL_ERROR_ZERO_RETURN:
      peer_closed_ = true;
      peer_sent_close_notify_ = true;
      return IoOutcome::kClosed;
    case SSL_ERROR_SYSCALL:
      last_errno_ = errno;
      if (result == 0 || errno == 0 || errno == ECONNRESET || errno == EPIPE) {
        if (!writing) peer_closed_ = true;
        return IoOutcome::kClosed;
      }
      return IoOutcome::kError;
    default: {
      const unsigned long code = ERR_peek_error();
      last_tls_reason_ = ERR_GET_REASON(code);
      if (last_tls_reason_ == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        peer_closed_ = true;
        return IoOutcome::kClosed;
      }
      return IoOutcome::kError;
    }
  }
}

bool TlsClient::WaitFor(short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd entry{fd_, events, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(left));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) {
      last_errno_ = errno;
      return true;  // let the next call report the failure
    }
  }
}

void TlsClient::Close() {
  if (ssl_ != nullptr) {
    if (session_up_ && !peer_closed_) {
      ERR_clear_error();
      SSL_shutdown(ssl_);  // sends close_notify; the reply is not awaited
    }
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  session_up_ = false;
  ERR_clear_error();
}

std::string TlsClient::PeerCertificateSha256() const {
  if (ssl_ == nullptr) return "";
  X509* certificate = SSL_get1_peer_certificate(ssl_);
  std::string hash = CertificateSha256(certificate);
  X509_free(certificate);
  return hash;
}

std::string TlsClient::protocol() const { return ssl_ == nullptr ? "" : SSL_get_version(ssl_); }

std::string TlsClient::cipher() const {
  return ssl_ == nullptr ? "" : SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_));
}

std::string CertificateFileSha256(const std::filesystem::path& pem_file) {
  BIO* bio = BIO_new_file(pem_file.c_str(), "r");
  if (bio == nullptr) return "";
  X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  std::string hash = CertificateSha256(certificate);
  X509_free(certificate);
  ERR_clear_error();
  return hash;
}

}  // namespace amparo::test
