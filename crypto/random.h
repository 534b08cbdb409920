#pragma once
// random.h: the injected source of randomness. Production code uses
// SystemRandom; tests inject a deterministic double to produce vectors.

#include <cstdint>
#include <span>

namespace amparo::crypto {

// RandomSource fills buffers with unpredictable bytes. It cannot fail: a
// source that cannot deliver must abort rather than return weak bytes.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// SystemRandom draws from the operating system's CSPRNG via libsodium.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  void Fill(std::span<std::uint8_t> out) override;
};

}  // namespace amparo::crypto
