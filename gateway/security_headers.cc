#include "gateway/security_headers.h"

#include <array>

namespace amparo::gateway {

std::span<const std::pair<std::string_view, std::string_view>> SecurityHeaders() {
  // The page seals on the device with WebAssembly; 'wasm-unsafe-eval' allows
  // compiling it and nothing else: no inline script, no eval, no other origin.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kHeaders = {{
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
  }};
  return kHeaders;
}

}  // namespace amparo::gateway
