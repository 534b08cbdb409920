#pragma once
// signing_key.h: Ed25519 signing keys, in locked memory. Linked only into the
// workstation tool, which signs key bundles and root endorsements.

#include <array>
#include <span>
#include <string_view>

#include "common/result.h"
#include "crypto/random.h"
#include "crypto/secret.h"
#include "crypto/signatures.h"

namespace amparo::crypto {

// SigningKey is an Ed25519 key pair whose secret half never leaves locked
// memory except through EncodeSecret.
class SigningKey {
 public:
  // Generate derives a key pair from a fresh 32-byte seed drawn from random.
  static SigningKey Generate(RandomSource& random);
  // FromSeed rebuilds a key pair from its 32-byte seed; kInvalidKey otherwise.
  static Result<SigningKey> FromSeed(std::span<const std::uint8_t> seed);

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // Seed returns the 32-byte secret seed, for storing it encrypted.
  std::span<const std::uint8_t, 32> seed() const { return seed_.span(); }

  // Sign returns an Ed25519 signature over context || message.
  std::array<std::uint8_t, kEd25519SignatureSize> Sign(
      std::string_view context, std::span<const std::uint8_t> message) const;

 private:
  SigningKey() = default;
  SecretBytes<32> seed_;
  SecretBytes<64> secret_;
  Ed25519PublicKey public_key_;
};

}  // namespace amparo::crypto
