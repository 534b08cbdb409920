#pragma once
// onion_host.h: whether a request's Host header names a Tor onion service.
// The onion listener (server.h) serves plain HTTP on loopback for Tor; a
// request naming any other host did not come through the onion service (a
// misrouted balancer, a page in a browser on the gateway host rebinding a
// name to loopback) and is refused rather than answered in clear.

#include <string_view>

namespace amparo::gateway {

// IsOnionHost is true for a Host value of the form NAME.onion, in any case,
// with an optional final dot and an optional ":PORT" of 1 to 5 digits, where
// NAME is one or more non-empty labels of letters, digits and '-', joined
// by dots. Anything else, including an empty value, is false.
bool IsOnionHost(std::string_view host);

}  // namespace amparo::gateway
