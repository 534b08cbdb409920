#include "crypto/hkdf.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

#include "crypto/sodium.h"

namespace amparo::crypto {
namespace {

// NonNull gives libsodium, whose arguments are declared non-null, a valid
// pointer for an empty span.
const unsigned char* NonNull(std::span<const std::uint8_t> bytes) {
  static const unsigned char kEmpty = 0;
  return bytes.empty() ? &kEmpty : bytes.data();
}

}  // namespace

std::array<std::uint8_t, kSha256Size> HmacSha256(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> message) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  std::array<std::uint8_t, kSha256Size> mac{};
  crypto_auth_hmacsha256_init(&state, NonNull(key), key.size());
  crypto_auth_hmacsha256_update(&state, NonNull(message), message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

void HkdfSha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                std::string_view info, std::span<std::uint8_t> out) {
  EnsureSodium();
  if (out.size() > 255 * kSha256Size) std::abort();
  auto prk = HmacSha256(salt, ikm);

  std::array<std::uint8_t, kSha256Size> block{};
  std::size_t produced = 0;
  for (std::uint8_t counter = 1; produced < out.size(); ++counter) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, prk.data(), prk.size());
    if (counter > 1) crypto_auth_hmacsha256_update(&state, block.data(), block.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(info.data()),
                                  info.size());
    crypto_auth_hmacsha256_update(&state, &counter, 1);
    crypto_auth_hmacsha256_final(&state, block.data());
    sodium_memzero(&state, sizeof state);
    const std::size_t n = std::min(block.size(), out.size() - produced);
    std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(produced));
    produced += n;
  }
  sodium_memzero(prk.data(), prk.size());
  sodium_memzero(block.data(), block.size());
}

}  // namespace amparo::crypto
