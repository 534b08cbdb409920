#include "submit/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

namespace amparo::submit {
namespace {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

// Resolution is shared with a helper thread, which may outlive the caller when
// the deadline passes first: getaddrinfo cannot be interrupted.
struct Resolution {
  std::mutex mutex;
  std::condition_variable done_signal;
  bool done = false;
  std::vector<Address> addresses;
};

void ResolveInto(const std::shared_ptr<Resolution>& state, const std::string& host,
                 const std::string& service, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  std::vector<Address> found;
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &list) == 0) {
    for (const addrinfo* entry = list; entry != nullptr; entry = entry->ai_next) {
      if (entry->ai_addrlen > sizeof(sockaddr_storage)) continue;
      Address address;
      std::memcpy(&address.storage, entry->ai_addr, entry->ai_addrlen);
      address.length = entry->ai_addrlen;
      address.family = entry->ai_family;
      found.push_back(address);
    }
    ::freeaddrinfo(list);
  }
  std::lock_guard lock(state->mutex);
  state->addresses = std::move(found);
  state->done = true;
  state->done_signal.notify_all();
}

Result<std::vector<Address>> Resolve(const std::string& host, std::uint16_t port,
                                     Deadline deadline) {
  const std::string service = std::to_string(port);
  auto state = std::make_shared<Resolution>();
  if (IsIpLiteral(host)) {
    ResolveInto(state, host, service, AI_NUMERICHOST | AI_NUMERICSERV);
  } else {
    std::thread(ResolveInto, state, host, service, AI_NUMERICSERV | AI_ADDRCONFIG).detach();
  }
  std::unique_lock lock(state->mutex);
  const auto left = std::chrono::milliseconds(deadline.PollTimeoutMs());
  if (!state->done_signal.wait_for(lock, left, [&] { return state->done; })) {
    return Error::kUnavailable;
  }
  if (state->addresses.empty()) return Error::kUnavailable;
  return std::move(state->addresses);
}

int ConnectOne(const Address& address, Deadline deadline) {
  const int fd = ::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return -1;
  const auto* target = reinterpret_cast<const sockaddr*>(&address.storage);
  if (::connect(fd, target, address.length) != 0) {
    if (errno != EINPROGRESS || !WaitForFd(fd, POLLOUT, deadline)) {
      ::close(fd);
      return -1;
    }
    int error = 0;
    socklen_t length = sizeof(error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
      ::close(fd);
      return -1;
    }
  }
  // Requests are written in one or two pieces and then awaited: no reason to
  // delay them.
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

bool IsIpLiteral(std::string_view host) {
  if (host.empty() || host.size() >= INET6_ADDRSTRLEN) return false;
  const std::string text(host);
  in6_addr v6{};
  in_addr v4{};
  return ::inet_pton(AF_INET, text.c_str(), &v4) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

bool WaitForFd(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, deadline.PollTimeoutMs());
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

Result<std::unique_ptr<TcpStream>> TcpStream::Connect(const std::string& host, std::uint16_t port,
                                                      Deadline resolve_deadline,
                                                      std::chrono::milliseconds connect_timeout) {
  auto addresses = Resolve(host, port, resolve_deadline);
  if (!addresses.ok()) return addresses.error();
  const Deadline connect_deadline = Deadline::In(connect_timeout);
  for (const Address& address : addresses.value()) {
    if (connect_deadline.Expired()) break;
    const int fd = ConnectOne(address, connect_deadline);
    if (fd >= 0) return std::make_unique<TcpStream>(fd);
  }
  return Error::kUnavailable;
}

TcpStream::TcpStream(int fd) : fd_(fd) {
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

TcpStream::~TcpStream() {
  if (fd_ >= 0) ::close(fd_);
}

Status TcpStream::WriteAll(std::span<const std::uint8_t> data, Deadline deadline) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a peer that closes must produce an error, not SIGPIPE.
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data = data.subspan(static_cast<std::size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitForFd(fd_, POLLOUT, deadline)) return Error::kUnavailable;
      continue;
    }
    return (errno == ECONNRESET || errno == EPIPE) ? Error::kUnavailable : Error::kIo;
  }
  return OkStatus();
}

Result<std::size_t> TcpStream::ReadSome(std::span<std::uint8_t> out, Deadline deadline) {
  if (out.empty()) return std::size_t{0};
  for (;;) {
    const ssize_t got = ::recv(fd_, out.data(), out.size(), 0);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitForFd(fd_, POLLIN, deadline)) return Error::kUnavailable;
      continue;
    }
    return errno == ECONNRESET ? Error::kUnavailable : Error::kIo;
  }
}

bool TcpStream::PeerClosedOrReadable() {
  pollfd entry{fd_, POLLIN, 0};
  return ::poll(&entry, 1, 0) != 0;
}

}  // namespace amparo::submit
