#include "crypto/signing_key.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "crypto/sodium.h"

namespace amparo::crypto {

SigningKey SigningKey::Generate(RandomSource& random) {
  SecretBytes<32> seed;
  random.Fill(seed.span());
  return std::move(FromSeed(seed.span())).value();
}

Result<SigningKey> SigningKey::FromSeed(std::span<const std::uint8_t> seed) {
  if (seed.size() != 32) return Error::kInvalidKey;
  EnsureSodium();
  SigningKey key;
  std::copy(seed.begin(), seed.end(), key.seed_.data());
  crypto_sign_ed25519_seed_keypair(key.public_key_.bytes.data(), key.secret_.data(),
                                   key.seed_.data());
  return key;
}

std::array<std::uint8_t, kEd25519SignatureSize> SigningKey::Sign(
    std::string_view context, std::span<const std::uint8_t> message) const {
  std::vector<std::uint8_t> signed_bytes(context.size() + message.size());
  std::copy(context.begin(), context.end(), signed_bytes.begin());
  std::copy(message.begin(), message.end(),
            signed_bytes.begin() + static_cast<std::ptrdiff_t>(context.size()));
  std::array<std::uint8_t, kEd25519SignatureSize> signature{};
  crypto_sign_ed25519_detached(signature.data(), nullptr, signed_bytes.data(),
                               signed_bytes.size(), secret_.data());
  return signature;
}

}  // namespace amparo::crypto
