#include "protocol/envelope_header.h"

#include "common/byte_reader.h"
#include "protocol/envelope_format.h"
#include "protocol/varint.h"

namespace amparo::protocol {
namespace {

// DeclaresOtherFormat is step 3: the header starts with 0x08 and a varint of
// at most 10 bytes that ends within the header and whose value is not 1. It
// accepts non-minimal varints on purpose, so that any encoding a protobuf
// parser would read as another version reports "unsupported format version".
bool DeclaresOtherFormat(std::span<const std::uint8_t> header) {
  if (header.empty() || header[0] != kFormatVersionTag) return false;
  const auto varint = header.subspan(1);
  bool is_one = true;  // the value is 1 so far iff the groups read are 1, 0, 0, ...
  for (std::size_t i = 0; i < varint.size() && i < kMaxVarintBytes; ++i) {
    const auto group = static_cast<std::uint8_t>(varint[i] & 0x7f);
    if (group != (i == 0 ? 1 : 0)) is_one = false;
    if ((varint[i] & 0x80) == 0) return !is_one;
  }
  return false;  // no varint of at most 10 bytes ends within the header
}

bool ReadField(ByteReader& reader, std::uint8_t tag, std::uint64_t* value) {
  std::uint8_t read_tag = 0;
  if (!reader.ReadU8(&read_tag) || read_tag != tag) return false;
  return ReadMinimalVarint(reader, value) && *value != 0;
}

}  // namespace

Result<std::vector<std::uint8_t>> EncodeEnvelopeHeader(const EnvelopeHeaderFields& fields) {
  if (fields.format_version == 0 || fields.key_bundle_version == 0 ||
      fields.padded_length == 0) {
    return Error::kInvalidArgument;
  }
  std::vector<std::uint8_t> out;
  out.push_back(kFormatVersionTag);
  AppendVarint(fields.format_version, out);
  out.push_back(kKeyBundleVersionTag);
  AppendVarint(fields.key_bundle_version, out);
  out.push_back(kPaddedLengthTag);
  AppendVarint(fields.padded_length, out);
  return out;
}

Result<EnvelopeHeaderFields> ParseEnvelopeHeader(std::span<const std::uint8_t> header) {
  if (DeclaresOtherFormat(header)) return Error::kUnsupportedFormatVersion;
  // Canonical means: these three fields, in this order, each once, as
  // minimal non-zero varints, and nothing else (no unknown field, no repeat).
  ByteReader reader(header);
  std::uint64_t format = 0;
  EnvelopeHeaderFields fields;
  if (!ReadField(reader, kFormatVersionTag, &format) ||
      !ReadField(reader, kKeyBundleVersionTag, &fields.key_bundle_version) ||
      !ReadField(reader, kPaddedLengthTag, &fields.padded_length) || !reader.empty()) {
    return Error::kMalformedEnvelope;
  }
  // Step 3 has let through only a minimal varint of value 1.
  if (format != kFormatVersion) return Error::kMalformedEnvelope;
  fields.format_version = kFormatVersion;
  return fields;
}

}  // namespace amparo::protocol
