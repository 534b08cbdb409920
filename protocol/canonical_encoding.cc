#include "protocol/canonical_encoding.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <string>

#include "protocol/varint.h"

namespace amparo::protocol {

std::vector<std::uint8_t> SerializeDeterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  const auto bytes = AsBytes(out);
  return {bytes.begin(), bytes.end()};
}

bool ReadLengthDelimited(ByteReader& reader, std::uint8_t tag,
                         std::span<const std::uint8_t>* out) {
  ByteReader copy = reader;
  std::uint8_t read_tag = 0;
  std::uint64_t length = 0;
  if (!copy.ReadU8(&read_tag) || read_tag != tag || !ReadMinimalVarint(copy, &length) ||
      length == 0 || length > copy.remaining() ||
      !copy.ReadBytes(static_cast<std::size_t>(length), out)) {
    return false;
  }
  reader = copy;
  return true;
}

std::optional<FieldCounts> CountTopLevelFields(std::span<const std::uint8_t> bytes,
                                               std::uint32_t field_number) {
  constexpr std::uint64_t kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;
  ByteReader reader(bytes);
  FieldCounts counts;
  while (!reader.empty()) {
    std::uint64_t tag = 0;
    if (!ReadMinimalVarint(reader, &tag) || (tag >> 3) == 0) return std::nullopt;
    ++counts.total;
    if ((tag >> 3) == field_number) ++counts.of_field;
    std::uint64_t skip = 0;
    std::span<const std::uint8_t> ignored;
    switch (tag & 7) {
      case kVarint:
        if (!ReadMinimalVarint(reader, &skip)) return std::nullopt;
        continue;
      case kFixed64: skip = 8; break;
      case kFixed32: skip = 4; break;
      case kLengthDelimited:
        if (!ReadMinimalVarint(reader, &skip)) return std::nullopt;
        break;
      default: return std::nullopt;
    }
    if (skip > reader.remaining() || !reader.ReadBytes(static_cast<std::size_t>(skip), &ignored)) {
      return std::nullopt;
    }
  }
  return counts;
}

bool RepeatedFieldWithin(std::span<const std::uint8_t> bytes, std::uint32_t field_number,
                         std::size_t max_repeated) {
  const auto counts = CountTopLevelFields(bytes, field_number);
  return counts && counts->of_field <= max_repeated &&
         counts->total - counts->of_field <= kMaxSingularFields;
}

bool IsCanonicalEncoding(const google::protobuf::MessageLite& message,
                         std::span<const std::uint8_t> bytes) {
  const std::vector<std::uint8_t> canonical = SerializeDeterministic(message);
  return std::equal(canonical.begin(), canonical.end(), bytes.begin(), bytes.end());
}

}  // namespace amparo::protocol
