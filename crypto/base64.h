#pragma once
// base64.h: RFC 4648 Base64 (standard alphabet), canonical encodings only.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace amparo::crypto {

enum class Base64Padding { kNone, kRequired };

// EncodeBase64 returns the canonical encoding of data.
std::string EncodeBase64(std::span<const std::uint8_t> data, Base64Padding padding);

// DecodeBase64 returns the bytes of a canonical encoding, or nullopt for any
// character outside the alphabet, wrong or missing padding, or non-zero
// unused bits (age requires decoders to reject non-canonical encodings).
std::optional<std::vector<std::uint8_t>> DecodeBase64(std::string_view text,
                                                      Base64Padding padding);

// IsBase64Char reports whether c belongs to the standard alphabet (no '=').
bool IsBase64Char(char c);

}  // namespace amparo::crypto
