#pragma once
// api_messages.h: the bodies of the gateway's answers (proto/api.proto),
// read strictly from untrusted bytes with the bounds-checked reader: each
// known field at most once and with its own wire type, no unknown field, no
// trailing byte; and the one request body this client encodes.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/result.h"

namespace amparo::submit {

inline constexpr std::size_t kEnvelopeIdSize = 16;
inline constexpr std::size_t kUploadIdSize = 16;
// kMaxErrorTextBytes bounds each text field of an ErrorBody.
inline constexpr std::size_t kMaxErrorTextBytes = 256;

// SubmissionReceipt is a parsed receipt.
struct SubmissionReceipt {
  std::array<std::uint8_t, kEnvelopeIdSize> envelope_id{};
};

// UploadStatus is a parsed upload status.
struct UploadStatus {
  std::array<std::uint8_t, kUploadIdSize> upload_id{};
  std::uint64_t committed_length = 0;
  std::uint64_t total_length = 0;
};

// ParseSubmissionReceipt reads a SubmissionReceipt whose envelope_id is
// exactly 16 bytes; kIo otherwise.
Result<SubmissionReceipt> ParseSubmissionReceipt(std::span<const std::uint8_t> bytes);

// ParseUploadStatus reads an UploadStatus whose upload_id is exactly 16
// bytes and whose committed_length is at most total_length; kIo otherwise.
Result<UploadStatus> ParseUploadStatus(std::span<const std::uint8_t> bytes);

// ParseErrorCode reads an ErrorBody and returns its code, at most
// kMaxErrorTextBytes of [a-z_]; kIo otherwise. The message field is checked
// for its bound and then ignored: only the code is acted on, and nothing the
// gateway wrote is ever printed to the person's terminal.
Result<std::string> ParseErrorCode(std::span<const std::uint8_t> bytes);

// EncodeUploadRequest returns the deterministic encoding of
// UploadRequest {total_length, head}.
std::vector<std::uint8_t> EncodeUploadRequest(std::uint64_t total_length,
                                              std::span<const std::uint8_t> head);

// Refusal is how this client understands an answer that is not the one it
// asked for: an error class for the exit code, and a fixed sentence.
struct Refusal {
  Error error;
  std::string_view description;
};

// ClassifyRefusal maps an unexpected status and its body (an ErrorBody, or
// anything) to a refusal: 409 stale_key_bundle is kStaleKeyBundle, 409
// conflict kConflict, 404 kNotFound, 413 and 431 kLimitExceeded, 5xx
// kUnavailable, the envelope errors of API.md their own classes, any other
// status kMalformedEnvelope ("the gateway refused the request").
Refusal ClassifyRefusal(int status, std::span<const std::uint8_t> body);

// HexEncode: lower-case hex, as the API writes ids in paths.
using amparo::HexEncode;

}  // namespace amparo::submit
