// amparo-test-socks5-relay: a SOCKS5 proxy for tests that plays Tor's part
// on one machine. It accepts SOCKS5 CONNECT requests by name (as amparo-submit
// sends them for an onion address), writes each requested "name:port" to the
// record file, and relays the connection to 127.0.0.1:TO_PORT, the gateway's
// onion listener. It prints "port N" once listening and runs until killed.
//
//   amparo-test-socks5-relay TO_PORT RECORD_FILE

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

namespace {

constexpr std::uint8_t kVersion = 5;
constexpr std::uint8_t kNoAuthentication = 0;
constexpr std::uint8_t kConnect = 1;
constexpr std::uint8_t kDomainName = 3;
constexpr int kIoTimeoutMs = 10000;

bool ReadExactly(int fd, void* out, std::size_t size) {
  auto* bytes = static_cast<std::uint8_t*>(out);
  while (size > 0) {
    pollfd entry{fd, POLLIN, 0};
    if (::poll(&entry, 1, kIoTimeoutMs) <= 0) return false;
    const ssize_t n = ::recv(fd, bytes, size, 0);
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool WriteAll(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

int ConnectLoopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Relay copies bytes both ways until either side closes.
void Relay(int a, int b) {
  std::array<char, 16384> buffer{};
  for (;;) {
    std::array<pollfd, 2> entries{{{a, POLLIN, 0}, {b, POLLIN, 0}}};
    if (::poll(entries.data(), entries.size(), -1) <= 0) return;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if ((entries[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const int from = i == 0 ? a : b;
      const int to = i == 0 ? b : a;
      const ssize_t n = ::recv(from, buffer.data(), buffer.size(), 0);
      if (n <= 0 || !WriteAll(to, buffer.data(), static_cast<std::size_t>(n))) return;
    }
  }
}

void Serve(int client, std::uint16_t to_port, const std::string& record, std::mutex& mutex) {
  std::array<std::uint8_t, 2> greeting{};
  std::array<std::uint8_t, 255> methods{};
  std::array<std::uint8_t, 4> request{};
  std::array<std::uint8_t, 255> name{};
  std::array<std::uint8_t, 2> port{};
  std::uint8_t length = 0;
  if (!ReadExactly(client, greeting.data(), greeting.size()) || greeting[0] != kVersion ||
      !ReadExactly(client, methods.data(), greeting[1])) {
    return;
  }
  const std::array<std::uint8_t, 2> chosen{kVersion, kNoAuthentication};
  if (!WriteAll(client, chosen.data(), chosen.size()) ||
      !ReadExactly(client, request.data(), request.size()) || request[0] != kVersion ||
      request[1] != kConnect || request[3] != kDomainName || !ReadExactly(client, &length, 1) ||
      !ReadExactly(client, name.data(), length) || !ReadExactly(client, port.data(), port.size())) {
    return;
  }
  {
    std::lock_guard lock(mutex);
    std::ofstream(record, std::ios::app)
        << std::string(name.begin(), name.begin() + length) << ':' << ((port[0] << 8) | port[1])
        << '\n';
  }
  const int upstream = ConnectLoopback(to_port);
  // Reply: succeeded (0) or general failure (1), bound to 0.0.0.0:0.
  const std::array<std::uint8_t, 10> reply{kVersion, static_cast<std::uint8_t>(upstream < 0), 0, 1};
  if (WriteAll(client, reply.data(), reply.size()) && upstream >= 0) Relay(client, upstream);
  if (upstream >= 0) ::close(upstream);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: amparo-test-socks5-relay TO_PORT RECORD_FILE\n");
    return 2;
  }
  const auto to_port = static_cast<std::uint16_t>(std::strtoul(argv[1], nullptr, 10));
  const std::string record = argv[2];
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(listener, 16) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    std::perror("amparo-test-socks5-relay");
    return 1;
  }
  std::printf("port %u\n", ntohs(address.sin_port));
  std::fflush(stdout);
  std::mutex mutex;
  for (;;) {
    const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::thread([client, to_port, &record, &mutex] {
      Serve(client, to_port, record, mutex);
      ::close(client);
    }).detach();
  }
}
