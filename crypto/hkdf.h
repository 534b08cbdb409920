#pragma once
// hkdf.h: HMAC-SHA-256 and HKDF-SHA-256 (RFC 5869) on libsodium's HMAC, which
// libsodium 1.0.18 offers without an HKDF of its own.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace amparo::crypto {

inline constexpr std::size_t kSha256Size = 32;

// HmacSha256 returns HMAC-SHA-256(key, message); any key length is allowed.
std::array<std::uint8_t, kSha256Size> HmacSha256(std::span<const std::uint8_t> key,
                                                 std::span<const std::uint8_t> message);

// HkdfSha256 fills `out` (at most 255 * 32 bytes, else aborts) with
// HKDF-Expand(HKDF-Extract(salt, ikm), info). Intermediate keys are wiped.
void HkdfSha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                std::string_view info, std::span<std::uint8_t> out);

}  // namespace amparo::crypto
