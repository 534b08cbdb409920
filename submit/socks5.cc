#include "submit/socks5.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <string>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "submit/client_limits.h"

namespace amparo::submit {
namespace {

bool IsHostNameByte(char c) {
  return IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_';
}

std::size_t AddressLength(std::uint8_t type, std::uint8_t first_byte, bool* known) {
  *known = true;
  switch (type) {
    case kSocksAddressIpv4: return 4;
    case kSocksAddressIpv6: return 16;
    case kSocksAddressDomain: return 1 + std::size_t{first_byte};
    default: *known = false; return 0;
  }
}

}  // namespace

std::array<std::uint8_t, 3> Socks5Greeting() {
  return {kSocksVersion, 0x01, kSocksMethodNoAuth};
}

Result<std::vector<std::uint8_t>> BuildSocks5ConnectRequest(std::string_view host,
                                                            std::uint16_t port) {
  if (host.empty() || host.size() > client_limits::kMaxHostNameBytes) return Error::kInvalidArgument;
  std::vector<std::uint8_t> request = {kSocksVersion, kSocksCommandConnect, 0x00};
  const std::string text(host);
  std::array<std::uint8_t, 16> address{};
  if (::inet_pton(AF_INET, text.c_str(), address.data()) == 1) {
    request.push_back(kSocksAddressIpv4);
    request.insert(request.end(), address.begin(), address.begin() + 4);
  } else if (::inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
    request.push_back(kSocksAddressIpv6);
    request.insert(request.end(), address.begin(), address.end());
  } else {
    for (const char c : host) {
      if (!IsHostNameByte(c)) return Error::kInvalidArgument;
    }
    request.push_back(kSocksAddressDomain);
    request.push_back(static_cast<std::uint8_t>(host.size()));
    request.insert(request.end(), host.begin(), host.end());
  }
  request.push_back(static_cast<std::uint8_t>(port >> 8));
  request.push_back(static_cast<std::uint8_t>(port & 0xFF));
  return request;
}

Status CheckSocks5MethodReply(std::span<const std::uint8_t> reply) {
  ByteReader reader(reply);
  std::uint8_t version = 0;
  std::uint8_t method = 0;
  if (!reader.ReadU8(&version) || !reader.ReadU8(&method) || !reader.empty()) return Error::kIo;
  if (version != kSocksVersion || method != kSocksMethodNoAuth) return Error::kIo;
  return OkStatus();
}

Result<std::size_t> Socks5ReplyLength(std::span<const std::uint8_t> first5) {
  ByteReader reader(first5);
  std::uint8_t version = 0, code = 0, reserved = 0, type = 0, first = 0;
  if (!reader.ReadU8(&version) || !reader.ReadU8(&code) || !reader.ReadU8(&reserved) ||
      !reader.ReadU8(&type) || !reader.ReadU8(&first) || !reader.empty()) {
    return Error::kIo;
  }
  if (version != kSocksVersion || reserved != 0) return Error::kIo;
  bool known = false;
  const std::size_t address_length = AddressLength(type, first, &known);
  if (!known) return Error::kIo;
  return 4 + address_length + 2;
}

Status ParseSocks5Reply(std::span<const std::uint8_t> reply) {
  ByteReader reader(reply);
  std::uint8_t version = 0, code = 0, reserved = 0, type = 0;
  if (!reader.ReadU8(&version) || !reader.ReadU8(&code) || !reader.ReadU8(&reserved) ||
      !reader.ReadU8(&type)) {
    return Error::kIo;
  }
  if (version != kSocksVersion || code != kSocksReplySucceeded || reserved != 0) return Error::kIo;
  std::size_t address_length = 0;
  switch (type) {
    case kSocksAddressIpv4: address_length = 4; break;
    case kSocksAddressIpv6: address_length = 16; break;
    case kSocksAddressDomain: {
      std::uint8_t length = 0;
      if (!reader.ReadU8(&length)) return Error::kIo;
      address_length = length;
      break;
    }
    default: return Error::kIo;
  }
  // The bound address and port mean nothing to a CONNECT client; only their
  // exact extent matters, so that no tunnelled byte is taken for them.
  if (!reader.Skip(address_length) || !reader.Skip(2) || !reader.empty()) return Error::kIo;
  return OkStatus();
}

std::string_view Socks5ReplyDescription(std::uint8_t code) {
  switch (code) {
    case 0x00: return "succeeded";
    case 0x01: return "the proxy reported a general failure";
    case 0x02: return "the proxy's rules do not allow this connection";
    case 0x03: return "the proxy reports the network unreachable";
    case 0x04: return "the proxy reports the gateway unreachable";
    case 0x05: return "the gateway refused the connection made through the proxy";
    case 0x06: return "the proxy's connection attempt timed out";
    case 0x07: return "the proxy does not support the CONNECT command";
    case 0x08: return "the proxy does not support this address type";
    case 0xF0: return "the onion service was not found (its descriptor is unavailable)";
    case 0xF1: return "the onion service's descriptor is invalid";
    case 0xF2: return "the onion service's introduction failed";
    case 0xF3: return "the onion service's rendezvous failed";
    case 0xF4: return "the onion service requires client authorization";
    case 0xF5: return "the onion service rejected the client authorization";
    case 0xF6: return "the onion address is invalid";
    case 0xF7: return "the onion service's introduction timed out";
    default: return "the proxy refused the connection with an unknown reply code";
  }
}

Error Socks5ReplyError(std::uint8_t code) {
  switch (code) {
    case 0x01: case 0x03: case 0x04: case 0x05: case 0x06:
    case 0xF0: case 0xF1: case 0xF2: case 0xF3: case 0xF7:
      return Error::kUnavailable;
    case 0xF6:
      return Error::kInvalidArgument;
    default:
      return Error::kIo;
  }
}

Status Socks5Connect(Stream& proxy, std::string_view host, std::uint16_t port, Deadline deadline,
                     Socks5Outcome* outcome) {
  const auto fail = [outcome](Error error, std::string_view description) -> Status {
    outcome->description = description;
    return error;
  };
  // A proxy that stops answering or closes may do better on a later try.
  const auto io_failure = [&](Error) -> Status {
    return fail(Error::kUnavailable, "the proxy did not answer in time or closed the connection");
  };
  auto request = BuildSocks5ConnectRequest(host, port);
  if (!request.ok()) return fail(Error::kInvalidArgument, "the gateway host name is not valid");

  const auto greeting = Socks5Greeting();
  if (Status s = proxy.WriteAll(greeting, deadline); !s.ok()) return io_failure(s.error());
  std::array<std::uint8_t, 2> method{};
  if (Status s = ReadExact(proxy, method, deadline); !s.ok()) return io_failure(s.error());
  if (!CheckSocks5MethodReply(method).ok()) {
    return fail(Error::kIo, method[0] == kSocksVersion && method[1] == kSocksMethodNoneAcceptable
                                ? "the proxy requires authentication"
                                : "the proxy does not speak SOCKS5");
  }

  if (Status s = proxy.WriteAll(request.value(), deadline); !s.ok()) return io_failure(s.error());
  // Version and reply code first: a proxy that refuses may close right after
  // them, and the code is what the person needs to know.
  std::array<std::uint8_t, 4 + 1 + 255 + 2> reply{};
  const auto head = std::span<std::uint8_t>(reply).first(2);
  if (Status s = ReadExact(proxy, head, deadline); !s.ok()) return io_failure(s.error());
  if (reply[0] != kSocksVersion) return fail(Error::kIo, "the proxy does not speak SOCKS5");
  if (reply[1] != kSocksReplySucceeded) {
    return fail(Socks5ReplyError(reply[1]), Socks5ReplyDescription(reply[1]));
  }
  if (Status s = ReadExact(proxy, std::span<std::uint8_t>(reply).subspan(2, 3), deadline); !s.ok()) {
    return io_failure(s.error());
  }
  auto total = Socks5ReplyLength(std::span<const std::uint8_t>(reply).first(5));
  if (!total.ok() || total.value() > reply.size()) {
    return fail(Error::kIo, "the proxy sent a malformed SOCKS5 reply");
  }
  const auto rest = std::span<std::uint8_t>(reply).subspan(5, total.value() - 5);
  if (Status s = ReadExact(proxy, rest, deadline); !s.ok()) return io_failure(s.error());
  if (!ParseSocks5Reply(std::span<const std::uint8_t>(reply).first(total.value())).ok()) {
    return fail(Error::kIo, "the proxy sent a malformed SOCKS5 reply");
  }
  outcome->description = {};
  return OkStatus();
}

}  // namespace amparo::submit
