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

#include "tests/support/loopback_server.h"

namespace {

constexpr std::uint8_t kVersion = 5;
constexpr std::uint8_t kNoAuthentication = 0;
constexpr std::uint8_t kConnect = 1;
constexpr std::uint8_t kDomainName = 3;

using amparo::test::ReceiveExact;
using amparo::test::SendAll;

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
      if (n <= 0 || !SendAll(to, std::string_view(buffer.data(), static_cast<std::size_t>(n)))) {
        return;
      }
    }
  }
}

// Serve answers one client's greeting and CONNECT by name, then relays it.
// The handshake's reads time out after 10 s (SO_RCVTIMEO).
void Serve(int client, std::uint16_t to_port, const std::string& record, std::mutex& mutex) {
  const timeval timeout{10, 0};
  ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const auto greeting = ReceiveExact(client, 2);
  if (!greeting || (*greeting)[0] != kVersion ||
      !ReceiveExact(client, static_cast<std::uint8_t>((*greeting)[1]))) {
    return;
  }
  const std::string chosen{static_cast<char>(kVersion), static_cast<char>(kNoAuthentication)};
  if (!SendAll(client, chosen)) return;
  const auto request = ReceiveExact(client, 5);  // version, command, 0, type, name length
  if (!request || (*request)[0] != kVersion || (*request)[1] != kConnect ||
      (*request)[3] != kDomainName) {
    return;
  }
  const auto name = ReceiveExact(client, static_cast<std::uint8_t>((*request)[4]));
  const auto port = ReceiveExact(client, 2);
  if (!name || !port) return;
  {
    std::lock_guard lock(mutex);
    std::ofstream(record, std::ios::app)
        << *name << ':'
        << ((static_cast<std::uint8_t>((*port)[0]) << 8) | static_cast<std::uint8_t>((*port)[1]))
        << '\n';
  }
  const int upstream = ConnectLoopback(to_port);
  // Reply: succeeded (0) or general failure (1), bound to 0.0.0.0:0.
  std::string reply(10, '\0');
  reply[0] = static_cast<char>(kVersion);
  reply[1] = static_cast<char>(upstream < 0 ? 1 : 0);
  reply[3] = 1;
  if (SendAll(client, reply) && upstream >= 0) Relay(client, upstream);
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
