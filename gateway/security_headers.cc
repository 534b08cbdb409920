#include "gateway/security_headers.h"

#include <array>

namespace amparo::gateway {

std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders(
    Transport transport) {
  // The page seals on the device with WebAssembly; 'wasm-unsafe-eval' allows
  // compiling it and nothing else: no inline script, no eval, no other origin.
  // HSTS comes last, so that the onion listener's list is the same minus it.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kHeaders = {{
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
      {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
  }};
  static_assert(kHeaders.back().first == "Strict-Transport-Security");
  const std::span<const std::pair<std::string_view, std::string_view>> all = kHeaders;
  return transport == Transport::kTls ? all : all.first(all.size() - 1);
}

}  // namespace amparo::gateway
