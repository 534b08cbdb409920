#pragma once
// envelope_header.h: the EnvelopeHeader in its one canonical encoding
// (proto/ENVELOPE.md section 3.1), written and read by hand rather than by
// libprotobuf, which accepts many encodings of the same message.

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace amparo::protocol {

// EnvelopeHeaderFields are the three values of an EnvelopeHeader.
struct EnvelopeHeaderFields {
  std::uint32_t format_version = 0;
  std::uint64_t key_bundle_version = 0;
  std::uint64_t padded_length = 0;
  bool operator==(const EnvelopeHeaderFields&) const = default;
};

// EncodeEnvelopeHeader returns the canonical encoding
//   0x08 varint(format) 0x10 varint(bundle version) 0x18 varint(P)
// with minimal varints. kInvalidArgument if any value is zero, which has no
// canonical encoding.
Result<std::vector<std::uint8_t>> EncodeEnvelopeHeader(const EnvelopeHeaderFields& fields);

// ParseEnvelopeHeader reads exactly the L header bytes, applying steps 3 and
// 4 of ENVELOPE.md section 8 in that order: kUnsupportedFormatVersion if the
// bytes start with 0x08 and a varint of at most 10 bytes, ending within them,
// whose value is not 1; then kMalformedEnvelope unless the bytes are the
// canonical encoding of three non-zero values. A format_version varint is
// read by its mathematical value: one that does not fit in 64 bits is not 1.
Result<EnvelopeHeaderFields> ParseEnvelopeHeader(std::span<const std::uint8_t> header);

}  // namespace amparo::protocol
