// Fuzzes the submitter's strict readers of the gateway's answers
// (submit/api_messages.h): ParseSubmissionReceipt, ParseUploadStatus and
// ParseErrorCode, then ClassifyRefusal of the input as the body of each
// status the client tells apart, and EncodeUploadRequest of the input (its
// first 8 bytes as the total length, big-endian, the rest as the head).
//
// Checked against libprotobuf: what a strict reader accepts, libprotobuf
// parses with no unknown field to the same values (for ErrorBody, whose
// message the reader ignores, to the same wire fields), within the reader's
// own bounds; the status decides a refusal's class whatever the body says, but
// for the envelope errors of 400 and 409 that API.md names; and
// EncodeUploadRequest is libprotobuf's encoding of the same UploadRequest.
#include <array>
#include <cstddef>
#include <cstdint>
#include <google/protobuf/unknown_field_set.h>
#include <span>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "fuzz/fuzz_support.h"
#include "proto/api.pb.h"
#include "submit/api_messages.h"

namespace {

namespace submit = amparo::submit;
using amparo::Error;
using amparo::fuzz::Check;

template <typename Message>
bool ParsesCleanly(std::span<const std::uint8_t> bytes, Message* message) {
  return message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) &&
         message->GetReflection()->GetUnknownFields(*message).empty();
}

std::string Text(std::span<const std::uint8_t> bytes) { return std::string(amparo::AsText(bytes)); }

void CheckReaders(std::span<const std::uint8_t> input) {
  if (const auto receipt = submit::ParseSubmissionReceipt(input); receipt.ok()) {
    amparo::v1::SubmissionReceipt message;
    Check(ParsesCleanly(input, &message));
    Check(message.envelope_id() == Text(receipt.value().envelope_id));
  } else {
    Check(receipt.error() == Error::kIo);
  }
  if (const auto status = submit::ParseUploadStatus(input); status.ok()) {
    amparo::v1::UploadStatus message;
    Check(ParsesCleanly(input, &message));
    Check(message.upload_id() == Text(status.value().upload_id));
    Check(message.committed_length() == status.value().committed_length);
    Check(message.total_length() == status.value().total_length);
    Check(status.value().committed_length <= status.value().total_length);
  } else {
    Check(status.error() == Error::kIo);
  }
  if (const auto code = submit::ParseErrorCode(input); code.ok()) {
    // ErrorBody's fields are strings, which libprotobuf refuses unless they
    // are UTF-8; the reader ignores the message, so only the wire format is
    // compared: fields 1 and 2, each at most once, length-delimited.
    google::protobuf::UnknownFieldSet fields;
    Check(fields.ParseFromArray(input.data(), static_cast<int>(input.size())));
    std::array<int, 3> seen{};
    for (int i = 0; i < fields.field_count(); ++i) {
      const google::protobuf::UnknownField& field = fields.field(i);
      Check(field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED);
      Check((field.number() == 1 || field.number() == 2) && ++seen[static_cast<std::size_t>(field.number())] == 1);
      Check(field.length_delimited().size() <= submit::kMaxErrorTextBytes);
      if (field.number() == 1) Check(field.length_delimited() == code.value());
    }
    Check(seen[1] == 1 && !code.value().empty());
    for (const char c : code.value()) Check((c >= 'a' && c <= 'z') || c == '_');
  } else {
    Check(code.error() == Error::kIo);
  }
}

void CheckRefusals(std::span<const std::uint8_t> body) {
  constexpr std::array<int, 10> kStatuses = {200, 400, 403, 404, 409, 413, 429, 431, 500, 503};
  for (const int status : kStatuses) {
    const submit::Refusal refusal = submit::ClassifyRefusal(status, body);
    Check(!refusal.description.empty());
    if (status == 404) Check(refusal.error == Error::kNotFound);
    if (status == 413 || status == 431) Check(refusal.error == Error::kLimitExceeded);
    if (status >= 500) Check(refusal.error == Error::kUnavailable);
    if (status == 409) {
      Check(refusal.error == Error::kStaleKeyBundle || refusal.error == Error::kConflict);
    }
    if (status == 200 || status == 403 || status == 429) Check(refusal.error == Error::kMalformedEnvelope);
  }
}

void CheckUploadRequest(std::span<const std::uint8_t> input) {
  std::uint64_t total = 0;
  const std::size_t prefix = input.size() < 8 ? input.size() : 8;
  for (const std::uint8_t byte : input.first(prefix)) total = total << 8 | byte;
  const auto head = input.subspan(prefix);
  const std::vector<std::uint8_t> encoded = submit::EncodeUploadRequest(total, head);
  amparo::v1::UploadRequest expected;
  expected.set_total_length(total);
  expected.set_head(Text(head));
  Check(Text(encoded) == expected.SerializeAsString());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  CheckReaders(input);
  CheckRefusals(input);
  CheckUploadRequest(input);
  return 0;
}
