#pragma once
// keys.h: public key types and their Bech32 text form.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace amparo::crypto {

inline constexpr std::string_view kRecipientHrp = "age";
inline constexpr std::string_view kIdentityHrp = "age-secret-key-";

// X25519PublicKey is an age X25519 recipient: a Curve25519 point.
struct X25519PublicKey {
  std::array<std::uint8_t, 32> bytes{};
  bool operator==(const X25519PublicKey&) const = default;
};

// EncodeRecipient returns the lower-case "age1..." encoding.
std::string EncodeRecipient(const X25519PublicKey& key);

// ParseRecipient decodes "age1..."; kInvalidKey for a wrong prefix, a bad
// checksum, mixed or upper case, or a length other than 32 bytes.
Result<X25519PublicKey> ParseRecipient(std::string_view text);

}  // namespace amparo::crypto
