#include "crypto/random.h"

#include <sodium.h>

#include "crypto/sodium.h"

namespace amparo::crypto {

SystemRandom::SystemRandom() { EnsureSodium(); }

void SystemRandom::Fill(std::span<std::uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

}  // namespace amparo::crypto
