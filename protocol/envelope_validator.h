#pragma once
// envelope_validator.h: the checks a holder of no key makes on a sealed
// envelope (proto/ENVELOPE.md section 8), in the order that fixes which error
// the same bytes report everywhere. Used by the gateway on upload and by the
// workstation again on import.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/limits.h"
#include "common/result.h"

namespace amparo::protocol {

// AcceptancePolicy is what a deployment configures. max_padded_length is
// capped at the compiled ceiling whatever the configuration says.
struct AcceptancePolicy {
  std::uint64_t lowest_accepted_bundle_version = 1;
  std::uint64_t max_padded_length = limits::kMaxPaddedLength;
};

// EnvelopeHead is what an envelope's first bytes establish. head_length is
// the number of bytes they span (framing, header, age header); total_length
// the exact length the whole envelope must have.
struct EnvelopeHead {
  std::uint32_t format_version = 0;
  std::uint64_t key_bundle_version = 0;
  std::uint64_t padded_length = 0;
  std::size_t head_length = 0;
  std::uint64_t total_length = 0;
};

// ValidateEnvelopeHead checks the first bytes of an envelope, borrowed for
// the call: steps 0 to 8 of ENVELOPE.md section 8. `head` must hold the first
// kMaxEnvelopeHeadBytes bytes of the stream, or all of it if the stream is
// shorter; it may hold more, and only the first head_length bytes are read.
// A head that ends before the age header does is a stream that ended there.
// declared_total_length is the length the transport announced, if any.
// Errors, the first failing check deciding: kLimitExceeded (declared length
// over the upload ceiling), kMalformedEnvelope (magic, L), kUnsupportedFormatVersion,
// kMalformedEnvelope (non-canonical header), kStaleKeyBundle, kLimitExceeded
// (P over the policy), kPaddedLengthNotBucket, kLengthMismatch (declared
// length differs from the one implied), kLengthMismatch (stream ends inside
// the age header), kMalformedEnvelope (age header shape). The errors are
// fixed values: none says which byte or stanza failed.
Result<EnvelopeHead> ValidateEnvelopeHead(
    std::span<const std::uint8_t> head, const AcceptancePolicy& policy,
    std::optional<std::uint64_t> declared_total_length = std::nullopt);

// ValidateEnvelope checks a whole envelope held in memory, borrowed for the
// call, as a stream with no declared length: kLimitExceeded if it is larger
// than the upload ceiling, then every error of ValidateEnvelopeHead, then
// kLengthMismatch unless its length is exactly total_length. It reads no
// payload byte: only a key can check those.
Result<EnvelopeHead> ValidateEnvelope(std::span<const std::uint8_t> whole,
                                      const AcceptancePolicy& policy);

}  // namespace amparo::protocol
