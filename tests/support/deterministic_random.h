#pragma once
// deterministic_random.h: a RandomSource whose stream depends only on a seed,
// so that keys, nonces and whole age files produced in tests are reproducible.
// It is predictable by design and must never seal anything real.

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "crypto/random.h"

namespace amparo::test {

// DeterministicRandom yields the ChaCha20 keystream under a key made from the
// seed. The stream is the same however the caller splits it into Fill calls.
class DeterministicRandom final : public crypto::RandomSource {
 public:
  explicit DeterministicRandom(std::uint64_t seed) {
    if (sodium_init() < 0) std::abort();
    for (std::size_t i = 0; i < 8; ++i) key_[i] = static_cast<std::uint8_t>(seed >> (8 * i));
  }

  void Fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& byte : out) {
      if (used_ == block_.size()) NextBlock();
      byte = block_[used_++];
    }
  }

 private:
  void NextBlock() {
    const std::array<std::uint8_t, crypto_stream_chacha20_NONCEBYTES> nonce{};
    block_.fill(0);
    crypto_stream_chacha20_xor_ic(block_.data(), block_.data(), block_.size(), nonce.data(),
                                  counter_++, key_.data());
    used_ = 0;
  }

  std::array<std::uint8_t, crypto_stream_chacha20_KEYBYTES> key_{};
  std::array<std::uint8_t, 64> block_{};
  std::size_t used_ = 64;
  std::uint64_t counter_ = 0;
};

}  // namespace amparo::test
