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

bool IsCanonicalEncoding(const google::protobuf::MessageLite& message,
                         std::span<const std::uint8_t> bytes) {
  const std::vector<std::uint8_t> canonical = SerializeDeterministic(message);
  return std::equal(canonical.begin(), canonical.end(), bytes.begin(), bytes.end());
}

}  // namespace amparo::protocol
