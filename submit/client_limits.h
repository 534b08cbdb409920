#pragma once
// client_limits.h: the limits and timeouts of amparo-submit's network client,
// in one place. Each size limit has a test at N and at N+1.

#include <cstddef>

namespace amparo::submit::client_limits {

// kMaxResponseHeadBytes bounds a response's status line and headers together,
// the final empty line included: the same 8 KiB the gateway allows requests.
inline constexpr std::size_t kMaxResponseHeadBytes = 8 * 1024;

// kMaxResponseHeaders bounds the header fields of one response.
inline constexpr std::size_t kMaxResponseHeaders = 64;

// kMaxSmallReplyBytes bounds the body of every API answer but the key bundle:
// receipts, upload statuses and error bodies are a few dozen bytes.
inline constexpr std::size_t kMaxSmallReplyBytes = 4 * 1024;

// kMaxHostNameBytes bounds a gateway host name: what SOCKS5 can carry.
inline constexpr std::size_t kMaxHostNameBytes = 255;

// kMaxRequestTargetBytes bounds the path of a request this client sends.
inline constexpr std::size_t kMaxRequestTargetBytes = 1024;

// Timeouts, in seconds. Each network step has its own deadline. Tor builds a
// circuit (and, for an onion service, a rendezvous) while the proxy answers
// the CONNECT request, which takes far longer than a direct connection.
inline constexpr int kResolveSeconds = 30;        // name resolution (direct only)
inline constexpr int kConnectSeconds = 30;        // TCP connect to gateway or proxy
inline constexpr int kProxyConnectSeconds = 120;  // the SOCKS5 exchange
inline constexpr int kTlsHandshakeSeconds = 60;   // TLS handshake
inline constexpr int kIoSeconds = 120;            // sending a request; reading its answer

// kIdleReuseSeconds is how long an idle keep-alive connection is reused: less
// than the gateway's 30 s idle timeout, so that a request rarely races the
// gateway closing the connection.
inline constexpr int kIdleReuseSeconds = 20;

}  // namespace amparo::submit::client_limits
