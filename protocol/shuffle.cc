#include "protocol/shuffle.h"

#include <array>
#include <cstdint>
#include <cstdlib>

namespace amparo::protocol {

std::size_t UniformIndex(std::size_t bound, crypto::RandomSource& random) {
  constexpr std::uint64_t kRange = std::uint64_t{1} << 32;
  if (bound == 0 || bound > kRange) std::abort();
  // The largest multiple of bound within 2^32: draws at or above it would
  // favour the small indices, so they are drawn again.
  const std::uint64_t limit = kRange - kRange % bound;
  while (true) {
    std::array<std::uint8_t, 4> bytes{};
    random.Fill(bytes);
    const std::uint64_t draw = (std::uint64_t{bytes[0]} << 24) | (std::uint64_t{bytes[1]} << 16) |
                               (std::uint64_t{bytes[2]} << 8) | std::uint64_t{bytes[3]};
    if (draw < limit) return static_cast<std::size_t>(draw % bound);
  }
}

}  // namespace amparo::protocol
