#include "submit/api_messages.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "protocol/varint.h"

namespace amparo::submit {
namespace {

constexpr std::uint8_t kWireVarint = 0;
constexpr std::uint8_t kWireLengthDelimited = 2;

// Field is one decoded field: its number, wire type and value.
struct Field {
  std::uint64_t number = 0;
  std::uint8_t wire_type = 0;
  std::uint64_t varint = 0;
  std::span<const std::uint8_t> bytes;
};

// ReadField reads one field with a varint or length-delimited value; false
// for any other wire type, a non-minimal varint or a length past the end.
bool ReadField(ByteReader& reader, Field* field) {
  std::uint64_t key = 0;
  if (!protocol::ReadMinimalVarint(reader, &key)) return false;
  field->number = key >> 3;
  field->wire_type = static_cast<std::uint8_t>(key & 7);
  if (field->number == 0) return false;
  if (field->wire_type == kWireVarint) return protocol::ReadMinimalVarint(reader, &field->varint);
  if (field->wire_type != kWireLengthDelimited) return false;
  std::uint64_t length = 0;
  if (!protocol::ReadMinimalVarint(reader, &length) || length > reader.remaining()) return false;
  return reader.ReadBytes(static_cast<std::size_t>(length), &field->bytes);
}

// FieldSet remembers which of fields 1..3 were seen, to refuse repeats.
class FieldSet {
 public:
  bool FirstTime(std::uint64_t number) {
    if (number >= seen_.size() || seen_[number]) return false;
    seen_[number] = true;
    return true;
  }

 private:
  std::array<bool, 4> seen_{};
};

bool IsErrorCodeText(std::span<const std::uint8_t> text) {
  return !text.empty() && text.size() <= kMaxErrorTextBytes &&
         std::all_of(text.begin(), text.end(),
                     [](std::uint8_t c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

}  // namespace

Result<SubmissionReceipt> ParseSubmissionReceipt(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  SubmissionReceipt receipt;
  FieldSet seen;
  bool have_id = false;
  while (!reader.empty()) {
    Field field;
    if (!ReadField(reader, &field) || !seen.FirstTime(field.number)) return Error::kIo;
    if (field.number == 1 && field.wire_type == kWireLengthDelimited &&
        field.bytes.size() == kEnvelopeIdSize) {
      std::copy(field.bytes.begin(), field.bytes.end(), receipt.envelope_id.begin());
      have_id = true;
    } else {
      return Error::kIo;
    }
  }
  if (!have_id) return Error::kIo;
  return receipt;
}

Result<UploadStatus> ParseUploadStatus(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  UploadStatus status;
  FieldSet seen;
  bool have_id = false;
  while (!reader.empty()) {
    Field field;
    if (!ReadField(reader, &field) || !seen.FirstTime(field.number)) return Error::kIo;
    if (field.number == 1 && field.wire_type == kWireLengthDelimited &&
        field.bytes.size() == kUploadIdSize) {
      std::copy(field.bytes.begin(), field.bytes.end(), status.upload_id.begin());
      have_id = true;
    } else if (field.number == 2 && field.wire_type == kWireVarint) {
      status.committed_length = field.varint;
    } else if (field.number == 3 && field.wire_type == kWireVarint) {
      status.total_length = field.varint;
    } else {
      return Error::kIo;
    }
  }
  if (!have_id || status.committed_length > status.total_length) return Error::kIo;
  return status;
}

Result<std::string> ParseErrorCode(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  FieldSet seen;
  std::string code;
  while (!reader.empty()) {
    Field field;
    if (!ReadField(reader, &field) || !seen.FirstTime(field.number)) return Error::kIo;
    if (field.wire_type != kWireLengthDelimited || field.number > 2) return Error::kIo;
    if (field.number == 1) {
      if (!IsErrorCodeText(field.bytes)) return Error::kIo;
      code.assign(AsText(field.bytes));
    } else if (field.bytes.size() > kMaxErrorTextBytes) {
      return Error::kIo;
    }
  }
  if (code.empty()) return Error::kIo;
  return code;
}

std::vector<std::uint8_t> EncodeUploadRequest(std::uint64_t total_length,
                                              std::span<const std::uint8_t> head) {
  std::vector<std::uint8_t> out;
  out.reserve(head.size() + 24);
  if (total_length != 0) {
    out.push_back(0x08);  // field 1, varint
    protocol::AppendVarint(total_length, out);
  }
  if (!head.empty()) {
    out.push_back(0x12);  // field 2, length-delimited
    protocol::AppendVarint(head.size(), out);
    out.insert(out.end(), head.begin(), head.end());
  }
  return out;
}

Refusal ClassifyRefusal(int status, std::span<const std::uint8_t> body) {
  auto parsed = ParseErrorCode(body);
  const std::string code = parsed.ok() ? parsed.value() : std::string();
  if (status == 409 && code == "stale_key_bundle") {
    return {Error::kStaleKeyBundle, "the gateway no longer accepts the key bundle this was sealed to"};
  }
  if (status == 409) {
    return {Error::kConflict, "the gateway refused an upload step as out of order or incomplete"};
  }
  if (status == 404) return {Error::kNotFound, "the gateway does not know this address or upload"};
  if (status == 413 || status == 431) {
    return {Error::kLimitExceeded, "the gateway refused the submission as too large"};
  }
  if (status >= 500) {
    return {Error::kUnavailable, "the gateway is temporarily unavailable; try again later"};
  }
  if (status == 400 && code == "unsupported_format_version") {
    return {Error::kUnsupportedFormatVersion,
            "the gateway does not support this envelope format; update amparo-submit"};
  }
  if (status == 400 && code == "padded_length_not_bucket") {
    return {Error::kPaddedLengthNotBucket, "the gateway refused the envelope's padded length"};
  }
  if (status == 400 && code == "length_mismatch") {
    return {Error::kLengthMismatch, "the gateway received fewer or more bytes than the envelope declares"};
  }
  if (status == 400 && code == "malformed_envelope") {
    return {Error::kMalformedEnvelope, "the gateway refused the envelope as malformed"};
  }
  return {Error::kMalformedEnvelope, "the gateway refused the request"};
}


}  // namespace amparo::submit
