#include "storage/control_protocol.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace amparo::storage {
namespace {

Status WriteAll(int fd, std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::kIo;
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

// ReadAll fills `out`; false at end of stream, on error or timeout. *got
// counts what arrived, so that a clean end before the first byte can be told
// apart.
bool ReadAll(int fd, std::span<std::uint8_t> out, std::size_t* got) {
  *got = 0;
  while (*got < out.size()) {
    const ssize_t n = ::recv(fd, out.data() + *got, out.size() - *got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    *got += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::size_t> ControlFrameLength(
    std::span<const std::uint8_t, kControlFrameHeaderBytes> header) {
  std::size_t size = 0;
  for (std::uint8_t b : header) size = (size << 8) | b;
  if (size > limits::kMaxControlFrameBytes) return Error::kLimitExceeded;
  return size;
}

Status ParseControlMessage(std::span<const std::uint8_t> bytes,
                           google::protobuf::Message* message) {
  if (bytes.size() > limits::kMaxControlFrameBytes) return Error::kLimitExceeded;
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !message->GetReflection()->GetUnknownFields(*message).empty()) {
    message->Clear();
    return Error::kMalformedTransfer;
  }
  return OkStatus();
}

Result<std::vector<std::uint8_t>> EncodeControlFrame(const google::protobuf::MessageLite& message) {
  const std::size_t size = message.ByteSizeLong();
  if (size > limits::kMaxControlFrameBytes) return Error::kLimitExceeded;
  std::vector<std::uint8_t> frame(kControlFrameHeaderBytes + size);
  for (std::size_t i = 0; i < kControlFrameHeaderBytes; ++i) {
    frame[i] = static_cast<std::uint8_t>(size >> (8 * (kControlFrameHeaderBytes - 1 - i)));
  }
  if (!message.SerializeToArray(frame.data() + kControlFrameHeaderBytes, static_cast<int>(size))) {
    return Error::kIo;
  }
  return frame;
}

Status SetControlTimeouts(int fd, ControlTimeouts which, std::chrono::milliseconds timeout) {
  const auto ceiling = std::chrono::milliseconds(std::chrono::seconds(limits::kControlIoSeconds));
  const auto bounded = std::clamp(timeout, std::chrono::milliseconds(1), ceiling);
  const timeval value{static_cast<time_t>(bounded.count() / 1000),
                      static_cast<suseconds_t>((bounded.count() % 1000) * 1000)};
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, sizeof value) != 0) return Error::kIo;
  if (which == ControlTimeouts::kReadsAndWrites &&
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value) != 0) {
    return Error::kIo;
  }
  return OkStatus();
}

Status WriteFrame(int fd, const google::protobuf::MessageLite& message) {
  auto frame = EncodeControlFrame(message);
  if (!frame.ok()) return frame.error();
  return WriteAll(fd, frame.value());
}

Status ReadFrame(int fd, google::protobuf::Message* message) {
  std::array<std::uint8_t, kControlFrameHeaderBytes> header{};
  std::size_t got = 0;
  if (!ReadAll(fd, header, &got)) return got == 0 ? Error::kUnavailable : Error::kIo;
  auto size = ControlFrameLength(header);
  if (!size.ok()) return size.error();
  std::vector<std::uint8_t> body(size.value());
  if (!ReadAll(fd, body, &got)) return Error::kIo;
  return ParseControlMessage(body, message);
}

std::uint32_t ErrorCode(Error error) { return static_cast<std::uint32_t>(error) + 1; }

std::optional<Error> ErrorFromCode(std::uint32_t code) {
  // kRateLimited is the last member of the closed enum (common/error.h).
  if (code == 0 || code > static_cast<std::uint32_t>(Error::kRateLimited) + 1) return std::nullopt;
  return static_cast<Error>(code - 1);
}

}  // namespace amparo::storage
