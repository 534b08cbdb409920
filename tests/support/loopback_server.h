#pragma once
// loopback_server.h: a TCP server on 127.0.0.1 for client tests. Each accepted
// connection is handed to a handler on the server's thread, one at a time;
// plain blocking helpers read and write the socket with a timeout so that a
// broken test fails instead of hanging.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace amparo::test {

// LoopbackServer listens on an ephemeral port of 127.0.0.1 and runs
// `handler(fd)` for each accepted connection, closing it afterwards. The
// handler returns false to stop accepting. The destructor stops the server
// and joins its thread.
class LoopbackServer {
 public:
  using Handler = std::function<bool(int fd)>;

  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) std::abort();
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      std::abort();
    }
    socklen_t length = sizeof(address);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~LoopbackServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_; }

 private:
  void Run() {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      if (stopping_) {
        ::close(fd);
        return;
      }
      ++connections_;
      timeval timeout{10, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
      const bool more = handler_(fd);
      ::close(fd);
      if (!more) return;
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// SendAll writes all of data; false if the peer is gone.
inline bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// ReceiveExact reads exactly n bytes; std::nullopt if the stream ends or
// times out first.
inline std::optional<std::string> ReceiveExact(int fd, std::size_t n) {
  std::string data(n, '\0');
  std::size_t have = 0;
  while (have < n) {
    const ssize_t got = ::recv(fd, data.data() + have, n - have, 0);
    if (got <= 0) return std::nullopt;
    have += static_cast<std::size_t>(got);
  }
  return data;
}

// ReceivedRequest is one HTTP request as the server read it.
struct ReceivedRequest {
  std::string head;  // request line and headers, through the empty line
  std::string body;
};

// ReceiveHttpRequest reads a request head byte by byte up to the empty line,
// then as many body bytes as its Content-Length says; std::nullopt if the
// stream ends first (as when a client closes an idle connection).
inline std::optional<ReceivedRequest> ReceiveHttpRequest(int fd) {
  ReceivedRequest request;
  while (request.head.size() < 4 || request.head.compare(request.head.size() - 4, 4, "\r\n\r\n") != 0) {
    char c = 0;
    if (::recv(fd, &c, 1, 0) != 1) return std::nullopt;
    request.head.push_back(c);
    if (request.head.size() > 16384) return std::nullopt;
  }
  const std::string_view key = "\r\nContent-Length: ";
  const auto at = request.head.find(key);
  if (at != std::string::npos) {
    const std::size_t length = std::stoul(request.head.substr(at + key.size()));
    auto body = ReceiveExact(fd, length);
    if (!body) return std::nullopt;
    request.body = std::move(*body);
  }
  return request;
}

// HttpResponseText returns a response with a Content-Length and `body`.
inline std::string HttpResponseText(int status, std::string_view reason, std::string_view body,
                                    std::string_view extra_headers = {}) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + std::string(extra_headers) + "\r\n" +
         std::string(body);
}

}  // namespace amparo::test
