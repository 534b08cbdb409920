#pragma once
// x25519_key_check.h: which 32-byte strings a key bundle may offer as an age
// X25519 recipient key.

#include <cstdint>
#include <span>

namespace amparo::protocol {

// IsAcceptableX25519PublicKey reports whether bytes are exactly 32 bytes, a
// canonical u-coordinate (top bit clear, below 2^255 - 19) and not one of the
// points of small order, to which sealing would give away the file key.
bool IsAcceptableX25519PublicKey(std::span<const std::uint8_t> bytes);

}  // namespace amparo::protocol
