#pragma once
// control_protocol.h: the framing and the methods of the gateway's local
// control socket (proto/control.proto), shared by the store's remote client
// (remote_store.h) and its server side (store_service.h). A frame is
// u32be(length) || message, the length at most limits::kMaxControlFrameBytes.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/limits.h"
#include "common/result.h"
#include "proto/control.pb.h"

namespace amparo::storage {

// kControlFrameHeaderBytes is the length prefix of a frame.
inline constexpr std::size_t kControlFrameHeaderBytes = 4;

// kControlChunkBytes is the most envelope bytes one streamed response holds.
inline constexpr std::size_t kControlChunkBytes = 1024 * 1024;
static_assert(kControlChunkBytes + 64 < limits::kMaxControlFrameBytes);
static_assert(limits::kMaxSealedReplyBytes + 1024 < limits::kMaxControlFrameBytes);

// The methods, and the request fields each one reads.
enum class ControlMethod : std::uint32_t {
  kListEnvelopes = 1,      // number: after_seq; count: max_count
  kDescribeEnvelope = 2,   // data: id
  kReadEnvelope = 3,       // data: id (the answer is streamed in chunks)
  kDeleteEnvelopes = 4,    // ids
  kCompactAll = 5,
  kTakeExportNumber = 6,
  kPutKeyBundle = 7,       // number: version; data: signed bytes
  kCurrentKeyBundle = 8,
  kAppendAudit = 9,        // number: day; text
  kVerifyAuditChain = 10,
  kStats = 11,
  kPlaceReplies = 12,      // number: batch; count: day; mailbox; ids[0]; data: sealed
  kWriteCheckpoint = 13,
};

// ControlFrameLength decodes a frame's length prefix; kLimitExceeded above
// limits::kMaxControlFrameBytes.
Result<std::size_t> ControlFrameLength(std::span<const std::uint8_t, kControlFrameHeaderBytes> header);

// ParseControlMessage parses a frame's message bytes; kMalformedTransfer if
// they do not parse or carry unknown fields (a peer of another version must
// not have a field silently dropped), kLimitExceeded above the frame limit.
Status ParseControlMessage(std::span<const std::uint8_t> bytes, google::protobuf::Message* message);

// EncodeControlFrame returns the frame of `message`; kLimitExceeded if it is
// larger than a frame may be.
Result<std::vector<std::uint8_t>> EncodeControlFrame(const google::protobuf::MessageLite& message);

// ControlTimeouts says which directions SetControlTimeouts bounds.
enum class ControlTimeouts { kReadsAndWrites, kWritesOnly };

// SetControlTimeouts bounds every later write on `fd`, and every read unless
// kWritesOnly, by `timeout` (at most limits::kControlIoSeconds, which is the
// default); kIo if the socket refuses. The server bounds both; the client does
// not bound its reads, because an answer may wait for a compaction of the
// whole store.
Status SetControlTimeouts(int fd, ControlTimeouts which,
                          std::chrono::milliseconds timeout =
                              std::chrono::seconds(limits::kControlIoSeconds));

// WriteFrame sends one message on a connected socket; kIo on failure or
// timeout, kLimitExceeded if it is larger than a frame may be.
Status WriteFrame(int fd, const google::protobuf::MessageLite& message);

// ReadFrame receives one message: kUnavailable at a clean end of the stream
// before any byte, kLimitExceeded for a frame over the limit (its body
// unread), kMalformedTransfer as ParseControlMessage, kIo for a cut stream,
// a timeout or a failed read.
Status ReadFrame(int fd, google::protobuf::Message* message);

// ErrorCode and ErrorFromCode carry an amparo::Error in ControlResponse.error:
// 0 is success, so the codes start at 1; nullopt for a code no Error has.
std::uint32_t ErrorCode(Error error);
std::optional<Error> ErrorFromCode(std::uint32_t code);

}  // namespace amparo::storage
