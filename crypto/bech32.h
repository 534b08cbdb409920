#pragma once
// bech32.h: BIP 173 Bech32, as age uses it for keys (without the 90-character
// limit, which age lifts for longer keys).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace amparo::crypto {

enum class Bech32Case { kLower, kUpper };

// EncodeBech32 returns hrp || "1" || data in base32 || checksum, in the given
// case. The caller wipes the result if data is secret.
std::string EncodeBech32(std::string_view hrp, std::span<const std::uint8_t> data,
                         Bech32Case letter_case);

// Bech32Decoded is a decoded string: the human-readable part in lower case and
// the payload bytes. The caller wipes `data` if it is secret.
struct Bech32Decoded {
  std::string hrp;
  std::vector<std::uint8_t> data;
};

// DecodeBech32 returns nullopt for mixed case, a missing separator, an empty
// human-readable part, a character outside the alphabet, a bad checksum, or
// non-zero or over-long padding bits.
std::optional<Bech32Decoded> DecodeBech32(std::string_view text);

}  // namespace amparo::crypto
