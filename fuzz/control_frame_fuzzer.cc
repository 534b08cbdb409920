// Fuzzes the control socket's framing (storage/control_protocol.h): the input
// is read as one frame, a length prefix and its message, parsed both as a
// ControlRequest (what the gateway reads) and a ControlResponse (what
// amparo-admin reads). A length over the limit is refused before anything is
// parsed; a parsed message has no unknown fields and re-encodes to a frame
// that parses back to the same message; a refused one leaves it empty.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/limits.h"
#include "fuzz/fuzz_support.h"
#include "storage/control_protocol.h"

namespace {

using amparo::fuzz::Check;
namespace storage = amparo::storage;

template <typename Message>
void ParseAndReencode(std::span<const std::uint8_t> body) {
  Message message;
  if (!storage::ParseControlMessage(body, &message).ok()) {
    Check(message.ByteSizeLong() == 0);
    return;
  }
  Check(message.GetReflection()->GetUnknownFields(message).empty());
  auto frame = storage::EncodeControlFrame(message);
  Check(frame.ok());
  const std::span<const std::uint8_t> bytes(frame.value());
  auto length = storage::ControlFrameLength(
      bytes.first<storage::kControlFrameHeaderBytes>());
  Check(length.ok() && length.value() + storage::kControlFrameHeaderBytes == bytes.size());
  Message again;
  Check(storage::ParseControlMessage(bytes.subspan(storage::kControlFrameHeaderBytes), &again).ok());
  Check(again.SerializeAsString() == message.SerializeAsString());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (input.size() < storage::kControlFrameHeaderBytes) return 0;
  auto length = storage::ControlFrameLength(input.first<storage::kControlFrameHeaderBytes>());
  if (!length.ok()) {
    Check(length.error() == amparo::Error::kLimitExceeded);
    return 0;
  }
  Check(length.value() <= amparo::limits::kMaxControlFrameBytes);
  // The message is what follows the prefix, up to the declared length.
  const auto rest = input.subspan(storage::kControlFrameHeaderBytes);
  const auto body = rest.first(std::min(rest.size(), length.value()));
  ParseAndReencode<amparo::v1::ControlRequest>(body);
  ParseAndReencode<amparo::v1::ControlResponse>(body);
  return 0;
}
