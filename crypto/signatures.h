#pragma once
// signatures.h: Ed25519 verification with domain separation, and the
// fingerprints under which a root key is pinned. Signing lives in
// signing_key.h, on the workstation only.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace amparo::crypto {

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

// Ed25519PublicKey is a verification key.
struct Ed25519PublicKey {
  std::array<std::uint8_t, kEd25519PublicKeySize> bytes{};
  bool operator==(const Ed25519PublicKey&) const = default;
};

// Ed25519PublicKeyFrom copies exactly 32 bytes; kInvalidKey otherwise.
Result<Ed25519PublicKey> Ed25519PublicKeyFrom(std::span<const std::uint8_t> bytes);

// VerifySignature checks an Ed25519 signature over context || message. The
// context (a fixed string ending in NUL, one per kind of signed object) keeps
// a signature on one kind of object from being valid on another. Returns
// false for a wrong-length or invalid signature.
bool VerifySignature(const Ed25519PublicKey& key, std::string_view context,
                     std::span<const std::uint8_t> message,
                     std::span<const std::uint8_t> signature);

// Sha256 returns the SHA-256 digest of data.
std::array<std::uint8_t, 32> Sha256(std::span<const std::uint8_t> data);

// Sha256Hasher computes SHA-256 over data given in pieces, for inputs too
// large to hold whole. Update and Finish after Finish abort.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::span<const std::uint8_t> data);
  // Finish returns the digest of everything given to Update.
  std::array<std::uint8_t, 32> Finish();

 private:
  struct State;  // libsodium's, which only crypto/ may name
  std::unique_ptr<State> state_;
  bool finished_ = false;
};

// Fingerprint returns the lower-case hex SHA-256 of a public key, in groups
// of four separated by '-', the form shown to people for out-of-band checks.
std::string Fingerprint(const Ed25519PublicKey& key);

// ParseFingerprint accepts Fingerprint's form, with or without the dashes.
Result<std::array<std::uint8_t, 32>> ParseFingerprint(std::string_view text);

// MatchesFingerprint reports whether key hashes to the pinned fingerprint.
bool MatchesFingerprint(const Ed25519PublicKey& key, std::span<const std::uint8_t, 32> pinned);

}  // namespace amparo::crypto
