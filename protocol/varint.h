#pragma once
// varint.h: protobuf base-128 varints in their minimal form, the only form a
// canonical envelope header may use.

#include <cstdint>
#include <vector>

#include "common/byte_reader.h"

namespace amparo::protocol {

// AppendVarint appends the minimal varint encoding of value (1 to 10 bytes).
void AppendVarint(std::uint64_t value, std::vector<std::uint8_t>& out);

// VarintSize returns the length of the minimal encoding of value.
std::size_t VarintSize(std::uint64_t value);

// ReadMinimalVarint reads one varint that is minimal (no redundant final
// 0x00 group) and whose value fits in 64 bits. On any other input, or if the
// bytes end first, it returns false and consumes nothing.
bool ReadMinimalVarint(ByteReader& reader, std::uint64_t* value);

}  // namespace amparo::protocol
