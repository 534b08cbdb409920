#pragma once
// tcp.h: TCP connections with a deadline on every step (name resolution,
// connect, each read and write), over non-blocking POSIX sockets.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

#include "common/result.h"
#include "submit/deadline.h"
#include "submit/stream.h"

namespace amparo::submit {

// TcpStream is a connected socket it owns (closed on destruction).
class TcpStream final : public Stream {
 public:
  // Connect resolves host (a DNS name or an IP literal) before
  // resolve_deadline, then connects to the first address that answers within
  // connect_timeout. kUnavailable if resolution or every connect attempt
  // fails or a deadline passes. A DNS name is resolved by the system
  // resolver: callers must never pass a name that has to stay private (see
  // socks5.h).
  static Result<std::unique_ptr<TcpStream>> Connect(const std::string& host, std::uint16_t port,
                                                    Deadline resolve_deadline,
                                                    std::chrono::milliseconds connect_timeout);

  // TcpStream takes ownership of a connected socket and makes it non-blocking.
  explicit TcpStream(int fd);
  ~TcpStream() override;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  Status WriteAll(std::span<const std::uint8_t> data, Deadline deadline) override;
  Result<std::size_t> ReadSome(std::span<std::uint8_t> out, Deadline deadline) override;
  bool PeerClosedOrReadable() override;

  // fd returns the socket, still owned by this object (TLS runs over it).
  int fd() const { return fd_; }

 private:
  int fd_;
};

// WaitForFd polls fd for `events` until the deadline; false if it passes.
bool WaitForFd(int fd, short events, Deadline deadline);

// IsIpLiteral reports whether host is a textual IPv4 or IPv6 address (without
// brackets), which needs no name resolution.
bool IsIpLiteral(std::string_view host);

}  // namespace amparo::submit
