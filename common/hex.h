#pragma once
// hex.h: lower-case hexadecimal, the one textual form of ids and keys.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace amparo {

// HexEncode returns the lower-case hex form of `bytes`.
std::string HexEncode(std::span<const std::uint8_t> bytes);

// HexEncodeGrouped is HexEncode with a '-' after every 4 digits but the
// last ("05ae-d553-..."): the form a person reads aloud and compares, as for
// a gateway node's key.
std::string HexEncodeGrouped(std::span<const std::uint8_t> bytes);

// HexDecode fills `out` from exactly 2 * out.size() lower-case hex digits;
// false (and `out` unspecified) for any other input. Upper case is refused so
// that every value has exactly one textual form.
bool HexDecode(std::string_view hex, std::span<std::uint8_t> out);

}  // namespace amparo
