#pragma once
// security_headers.h: the headers every gateway response carries, errors
// included.

#include <span>
#include <string_view>
#include <utility>

namespace amparo::gateway {

// Transport is how a response leaves: TLS on the gateway's port, or plain
// HTTP on the onion listener, which only Tor reaches (server.h).
enum class Transport { kTls, kOnion };

// SecurityHeaders lists (name, value) pairs: a strict Content-Security-Policy
// (only this origin; WebAssembly compilation allowed for the sealing code,
// no inline script or eval), no framing, no referrer, no sniffing, no
// caching anywhere; and HSTS over TLS only, as RFC 6797 (7.2) requires:
// over plain HTTP it means nothing, and Tor already authenticates and
// encrypts an onion service's traffic end to end. There is no Server header.
std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders(
    Transport transport);

}  // namespace amparo::gateway
