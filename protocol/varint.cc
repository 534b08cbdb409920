#include "protocol/varint.h"

#include "protocol/envelope_format.h"

namespace amparo::protocol {

void AppendVarint(std::uint64_t value, std::vector<std::uint8_t>& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

std::size_t VarintSize(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

bool ReadMinimalVarint(ByteReader& reader, std::uint64_t* value) {
  const auto bytes = reader.rest();
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < bytes.size() && i < kMaxVarintBytes; ++i) {
    const std::uint8_t byte = bytes[i];
    // The tenth byte holds bit 63 only; anything more is not a 64-bit value.
    if (i == kMaxVarintBytes - 1 && byte > 1) return false;
    result |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      // A final group of zero after other groups adds nothing: not minimal.
      if (i > 0 && byte == 0) return false;
      *value = result;
      return reader.Skip(i + 1);
    }
  }
  return false;
}

}  // namespace amparo::protocol
