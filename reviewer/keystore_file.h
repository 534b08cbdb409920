#pragma once
// keystore_file.h: the framing of the sealed keystore file.
//
//   "AMPK" | version 0x01 | u32be Argon2id passes | u64be Argon2id memory |
//   16-byte salt | box (crypto/passphrase_box.h: nonce || ciphertext || tag)
//
// The 33 bytes before the box are its associated data: changing the cost or
// the salt makes the box fail to open, exactly like a wrong passphrase.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "crypto/passphrase_box.h"

namespace amparo::reviewer {

inline constexpr std::size_t kKeystoreHeaderBytes = 33;

struct KeystoreHeader {
  crypto::PasswordHashCost cost;
  std::array<std::uint8_t, crypto::kPassphraseSaltBytes> salt{};
};

// EncodeKeystoreHeader returns the 33 header bytes.
std::vector<std::uint8_t> EncodeKeystoreHeader(const KeystoreHeader& header);

// SplitKeystoreFile reads the header of a whole keystore file and returns it
// with the box that follows. kLimitExceeded past kMaxKeystoreFileBytes;
// kInvalidKey if the bytes are not a keystore (magic, version, a cost that
// crypto::AcceptableCost refuses, no room for a box).
struct SplitKeystore {
  KeystoreHeader header;
  std::span<const std::uint8_t> associated;  // the header bytes
  std::span<const std::uint8_t> box;
};
Result<SplitKeystore> SplitKeystoreFile(std::span<const std::uint8_t> file);

}  // namespace amparo::reviewer
