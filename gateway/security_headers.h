#pragma once
// security_headers.h: the headers every gateway response carries, errors
// included.

#include <span>
#include <string_view>
#include <utility>

namespace amparo::gateway {

// SecurityHeaders lists (name, value) pairs: a strict Content-Security-Policy
// (only this origin; WebAssembly compilation allowed for the sealing code,
// no inline script or eval), no framing, no referrer, HSTS, no sniffing, no
// caching anywhere. There is no Server header.
std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders();

}  // namespace amparo::gateway
