#pragma once
// ids.h: the identifiers storage files records under. Each is 16 random bytes
// chosen by the caller (storage never generates one), with a lower-case hex
// form for URLs and logs of the operator's own tools.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/hex.h"
#include "common/result.h"

namespace amparo::storage {

inline constexpr std::size_t kIdBytes = 16;

using amparo::HexDecode;
using amparo::HexEncode;

// Id is a 16-byte identifier; Tag keeps envelope and upload ids apart in the
// type system so that one can never be passed for the other.
template <typename Tag>
class Id {
 public:
  using Bytes = std::array<std::uint8_t, kIdBytes>;

  // Id() is the all-zero id, which every store operation refuses as unset.
  constexpr Id() = default;
  constexpr explicit Id(const Bytes& bytes) : bytes_(bytes) {}

  // FromBytes copies exactly kIdBytes bytes; kInvalidArgument for any other
  // length.
  static Result<Id> FromBytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != kIdBytes) return Error::kInvalidArgument;
    Bytes copy{};
    for (std::size_t i = 0; i < kIdBytes; ++i) copy[i] = bytes[i];
    return Id(copy);
  }

  // FromHex parses exactly 32 lower-case hex digits; kInvalidArgument
  // otherwise.
  static Result<Id> FromHex(std::string_view hex) {
    Bytes bytes{};
    if (!HexDecode(hex, bytes)) return Error::kInvalidArgument;
    return Id(bytes);
  }

  const Bytes& bytes() const { return bytes_; }
  std::string Hex() const { return HexEncode(bytes_); }

  // IsZero reports the unset id.
  bool IsZero() const {
    for (std::uint8_t b : bytes_) {
      if (b != 0) return false;
    }
    return true;
  }

  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  Bytes bytes_{};
};

}  // namespace amparo::storage
