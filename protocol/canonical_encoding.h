#pragma once
// canonical_encoding.h: the one canonical (deterministic) protobuf encoding
// that signed messages use, and a reader of its length-delimited fields that
// allocates nothing, for signed wrappers read before any signature verifies.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <google/protobuf/message_lite.h>

#include "common/byte_reader.h"

namespace amparo::protocol {

// SerializeDeterministic returns the message's canonical encoding: fields in
// number order, maps sorted, nothing unknown. Signers sign exactly these
// bytes; readers compare what they received with them.
std::vector<std::uint8_t> SerializeDeterministic(const google::protobuf::MessageLite& message);

// ReadLengthDelimited reads `tag`, a minimal varint length of at least 1
// (canonical proto3 leaves an empty field out) and that many bytes; false,
// consuming nothing, on anything else.
bool ReadLengthDelimited(ByteReader& reader, std::uint8_t tag,
                         std::span<const std::uint8_t>* out);

// FieldCounts counts a message's top-level fields: all of them, and those
// with one field number.
struct FieldCounts {
  std::size_t total = 0;
  std::size_t of_field = 0;
};

// CountTopLevelFields walks the top-level fields of an encoded message, or
// returns nullopt if the bytes are not a sequence of well-formed fields
// (minimal tags and lengths, wire types 0, 1, 2 and 5). It allocates
// nothing: a signed message's fields are counted against their limits before
// libprotobuf builds an object for each (unknown ones included), since even
// a signer's bytes must not buy gigabytes.
std::optional<FieldCounts> CountTopLevelFields(std::span<const std::uint8_t> bytes,
                                               std::uint32_t field_number);

// kMaxSingularFields is how many top-level fields other than its one
// repeated field a transfer message may have; its schema has fewer.
inline constexpr std::size_t kMaxSingularFields = 8;

// RepeatedFieldWithin reports whether `bytes` are well-formed fields with at
// most `max_repeated` occurrences of `field_number` and at most
// kMaxSingularFields others: the check before a signed message is parsed.
bool RepeatedFieldWithin(std::span<const std::uint8_t> bytes, std::uint32_t field_number,
                         std::size_t max_repeated);

// IsCanonicalEncoding reports whether `bytes` are exactly the canonical
// encoding of `message` (as parsed from them): libprotobuf also accepts a
// field given twice, the last one winning, so two readers could otherwise
// see different content in the same signed bytes.
bool IsCanonicalEncoding(const google::protobuf::MessageLite& message,
                         std::span<const std::uint8_t> bytes);

}  // namespace amparo::protocol
