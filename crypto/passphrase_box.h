#pragma once
// passphrase_box.h: the workstation's encryption at rest. A key derived from
// a passphrase with Argon2id (libsodium crypto_pwhash) seals a blob with
// XChaCha20-Poly1305; the header that names the parameters is authenticated
// as associated data, so nobody can lower them without the open failing.
// Linked only into the workstation tool.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace amparo::crypto {

// PasswordHashCost is an Argon2id work factor: passes and memory in bytes.
struct PasswordHashCost {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;
  bool operator==(const PasswordHashCost&) const = default;
};

// libsodium's named costs. A keystore is created with kModerate (about a
// second and 256 MiB here, against an offline guesser holding a stolen
// file); tests use kInteractive.
inline constexpr PasswordHashCost kPasswordHashInteractive{2, 64ull * 1024 * 1024};
inline constexpr PasswordHashCost kPasswordHashModerate{3, 256ull * 1024 * 1024};
inline constexpr PasswordHashCost kPasswordHashSensitive{4, 1024ull * 1024 * 1024};

// AcceptableCost tells whether a cost read from a file may be used: between
// kInteractive and kSensitive. Lower would make guessing cheap; higher would
// let a crafted file exhaust the machine.
bool AcceptableCost(const PasswordHashCost& cost);

inline constexpr std::size_t kPassphraseSaltBytes = 16;
inline constexpr std::size_t kBoxNonceBytes = 24;
inline constexpr std::size_t kBoxTagBytes = 16;
inline constexpr std::size_t kBoxKeyBytes = 32;

// DerivePassphraseKey runs Argon2id13. kInvalidArgument for an empty
// passphrase or an unacceptable cost; kUnavailable if the memory cannot be had.
Result<SecretBytes<kBoxKeyBytes>> DerivePassphraseKey(
    std::span<const std::uint8_t> passphrase,
    std::span<const std::uint8_t, kPassphraseSaltBytes> salt, const PasswordHashCost& cost);

// SealBox encrypts `plaintext` under `key` and a fresh random nonce, binding
// `associated`. Returns nonce || ciphertext || tag.
std::vector<std::uint8_t> SealBox(const SecretBytes<kBoxKeyBytes>& key,
                                  std::span<const std::uint8_t> associated,
                                  std::span<const std::uint8_t> plaintext, RandomSource& random);

// OpenBox reverses SealBox into locked memory; kPayload if the box does not
// authenticate (wrong key, altered bytes or associated data), kLimitExceeded
// if it is shorter than a nonce and a tag.
Result<SecretBuffer> OpenBox(const SecretBytes<kBoxKeyBytes>& key,
                             std::span<const std::uint8_t> associated,
                             std::span<const std::uint8_t> box);

}  // namespace amparo::crypto
