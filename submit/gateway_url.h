#pragma once
// gateway_url.h: the gateway's address as given on the command line
// ("https://host[:port][/]", or "http://name.onion[:port][/]") and a proxy's
// "host:port".

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace amparo::submit {

// HostPort is a host (a DNS name in lower case, or an IP literal without
// brackets) and a TCP port.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// GatewayUrl is a parsed gateway URL.
struct GatewayUrl {
  HostPort address;
  // host_header is the Host header value: the host (bracketed if IPv6) and
  // the port unless it is the scheme's (443, or 80 for http).
  std::string host_header;
  // onion is true for a Tor onion service (.onion), which only a Tor proxy
  // can reach.
  bool onion = false;
  // tls is false for an http:// onion address only: plain HTTP to the
  // gateway's onion listener, inside Tor's end-to-end encryption, which also
  // authenticates the service (its address is its key).
  bool tls = true;
};

// ParseGatewayUrl accepts "https://" followed by a host and an optional port,
// or "http://" followed by a .onion name and an optional port, and
// optionally a single "/". Anything else (another scheme, plain HTTP to any
// other host, user information, a path, a query, a fragment) is
// kInvalidArgument: the API's paths are fixed, and plain HTTP outside Tor
// would expose the exchange.
Result<GatewayUrl> ParseGatewayUrl(std::string_view url);

// ParseHostPort accepts "host:port" or "[ipv6]:port"; kInvalidArgument
// otherwise.
Result<HostPort> ParseHostPort(std::string_view text);

}  // namespace amparo::submit
