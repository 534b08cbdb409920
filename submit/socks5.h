#pragma once
// socks5.h: the client side of SOCKS version 5 (RFC 1928), no authentication,
// CONNECT only. The gateway's host name goes to the proxy as a name, never
// resolved on this device: through Tor, a local DNS query would reveal to the
// network which gateway a person is reaching, and a .onion name cannot be
// resolved by DNS at all.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "submit/deadline.h"
#include "submit/stream.h"

namespace amparo::submit {

// Protocol constants of RFC 1928.
inline constexpr std::uint8_t kSocksVersion = 0x05;
inline constexpr std::uint8_t kSocksMethodNoAuth = 0x00;
inline constexpr std::uint8_t kSocksMethodNoneAcceptable = 0xFF;
inline constexpr std::uint8_t kSocksCommandConnect = 0x01;
inline constexpr std::uint8_t kSocksAddressIpv4 = 0x01;
inline constexpr std::uint8_t kSocksAddressDomain = 0x03;
inline constexpr std::uint8_t kSocksAddressIpv6 = 0x04;
inline constexpr std::uint8_t kSocksReplySucceeded = 0x00;

// Socks5Greeting returns the method-selection message: version 5, one
// method, "no authentication required".
std::array<std::uint8_t, 3> Socks5Greeting();

// BuildSocks5ConnectRequest returns the CONNECT request for host:port. A
// host that is an IPv4 or IPv6 literal is sent as an address (nothing to
// resolve); any other host is sent as a domain name, for the proxy to
// resolve. kInvalidArgument if host is empty, longer than 255 bytes or holds
// a byte outside the letters, digits, '-', '.' and '_'.
Result<std::vector<std::uint8_t>> BuildSocks5ConnectRequest(std::string_view host,
                                                            std::uint16_t port);

// CheckSocks5MethodReply accepts exactly {5, 0}; kIo for anything else (the
// proxy wants authentication, or it is not a SOCKS5 proxy).
Status CheckSocks5MethodReply(std::span<const std::uint8_t> reply);

// Socks5ReplyLength returns the total length of a CONNECT reply given its
// first 5 bytes (version, reply code, reserved, address type, first address
// byte); kIo if those bytes cannot begin a reply.
Result<std::size_t> Socks5ReplyLength(std::span<const std::uint8_t> first5);

// ParseSocks5Reply checks a complete CONNECT reply whose code is success:
// version 5, reserved byte 0, a known address type, and exactly the length
// it implies; kIo otherwise.
Status ParseSocks5Reply(std::span<const std::uint8_t> reply);

// Socks5ReplyDescription returns a fixed description of a reply code,
// including Tor's onion-service codes (0xF0 to 0xF7).
std::string_view Socks5ReplyDescription(std::uint8_t code);

// Socks5ReplyError maps a failure code to the error class: kUnavailable when
// trying again later may work (unreachable, refused, timed out, onion service
// not reachable), kInvalidArgument for an invalid onion address, kIo for the
// rest (the proxy forbids or does not support the request).
Error Socks5ReplyError(std::uint8_t code);

// Socks5Outcome says what happened in Socks5Connect, for the person.
struct Socks5Outcome {
  std::string_view description;  // fixed text, empty on success
};

// Socks5Connect runs the greeting and the CONNECT request over `proxy`, a
// stream connected to the proxy, and reads exactly the proxy's replies, so
// that the stream then carries the tunnelled connection. On failure it
// returns kUnavailable (deadline passed, proxy closed or reset the
// connection, or a retryable refusal), kIo (not a SOCKS5 proxy, or it
// refuses the request) or
// kInvalidArgument (bad host), and sets outcome->description; the stream is
// then unusable.
Status Socks5Connect(Stream& proxy, std::string_view host, std::uint16_t port, Deadline deadline,
                     Socks5Outcome* outcome);

}  // namespace amparo::submit
