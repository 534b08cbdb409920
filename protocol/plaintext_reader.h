#pragma once
// plaintext_reader.h: the reading side of the plaintext framing
// (proto/ENVELOPE.md sections 6 and 11, steps 3 and 5), for the workstation:
//   u32be(S) || Submission (S bytes) || attachment 0 || ... || zero padding to P
// The plaintext is authenticated by age, but its sender may be hostile, so
// every byte of it is untrusted input.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "crypto/signatures.h"
#include "proto/submission.pb.h"
#include "protocol/plaintext_framing.h"

namespace amparo::protocol {

// kMaxAttachmentFileNameBytes and kMaxAttachmentMediaTypeBytes bound
// Attachment.file_name and Attachment.media_type (submission.proto), and
// kAttachmentDigestSize is the size of Attachment.sha256.
inline constexpr std::size_t kMaxAttachmentFileNameBytes = 256;
inline constexpr std::size_t kMaxAttachmentMediaTypeBytes = 128;
inline constexpr std::size_t kAttachmentDigestSize = 32;

// ValidateAttachmentEntry checks one manifest entry as the reader needs it:
// file_name 1..256 bytes of valid UTF-8 without '/', '\', NUL or another
// control character (below 0x20, or 0x7f), media_type 1..128 bytes, sha256
// exactly 32 bytes. kMalformedEnvelope otherwise. description and the rest
// of the Submission's bounds are the semantic validation's.
Status ValidateAttachmentEntry(const v1::Attachment& attachment);

// PlaintextReader is a ByteSink that receives an opened envelope's plaintext
// (exactly padded_length bytes) in pieces of any size and splits it, in
// bounded memory: the Submission, at most kMaxSubmissionMessageBytes, is the
// only thing it holds; attachments stream to the sinks it is given.
//
// Every check fails with kMalformedEnvelope, the first failure sticks (later
// calls return it again and write nothing more), in stream order:
//  - S is 0, over kMaxSubmissionMessageBytes, or 4 + S is over P;
//  - the S bytes do not parse as a Submission or hold an unknown field;
//  - more than kMaxAttachments entries, an entry that fails
//    ValidateAttachmentEntry, 4 + S + the lengths over P, or P other than
//    pad(4 + S + the lengths) (padme.h);
//  - an attachment whose SHA-256 differs from its entry's;
//  - a non-zero padding byte;
//  - more than P bytes written, or fewer by Finish.
// A sink's own write error is returned as is. A padded_length of 0 or over
// kMaxPaddedLength makes every call fail with kInvalidArgument.
//
// An attachment's sink receives its bytes before their digest is known, and
// later checks may still fail: unless Finish succeeds, the caller MUST
// discard everything written to every sink (write to temporary files and keep
// them only then).
class PlaintextReader final : public ByteSink {
 public:
  // AttachmentSinks chooses where attachment i's bytes go once the
  // Submission is parsed: a sink, borrowed until the attachment's last byte
  // has been written, or nullptr to only check them. Called once per
  // attachment, in order, before its first byte (also for a 0-length one).
  using AttachmentSinks =
      std::function<ByteSink*(std::size_t index, const v1::Attachment& attachment)>;

  // A null `sinks` only checks every attachment.
  explicit PlaintextReader(std::uint64_t padded_length, AttachmentSinks sinks = nullptr);
  PlaintextReader(const PlaintextReader&) = delete;
  PlaintextReader& operator=(const PlaintextReader&) = delete;

  // Write consumes the next bytes of the plaintext; the errors above.
  Status Write(std::span<const std::uint8_t> data) override;

  // Finish succeeds only if exactly padded_length bytes came and every check
  // passed; kMalformedEnvelope if fewer came, or the sticky error.
  Status Finish();

  // submission_ready reports whether the Submission is parsed and its
  // manifest checked; it is final only once Finish succeeds.
  bool submission_ready() const { return submission_ready_; }
  // submission is the parsed Submission; calling it before submission_ready()
  // is a broken invariant and aborts.
  const v1::Submission& submission() const;

 private:
  enum class Stage { kLengthField, kSubmission, kAttachment, kPadding };

  // Consume runs the stages over data, which fits in what is left of P.
  Status Consume(std::span<const std::uint8_t> data);
  // StartSubmission checks S once its four bytes have come.
  Status StartSubmission();
  // ParseSubmission parses the S bytes and checks the manifest against P.
  Status ParseSubmission();
  // OpenAttachments opens attachment next_attachment_, and closes at once
  // any of length 0 from there on; the padding comes after the last.
  Status OpenAttachments();
  // CloseAttachment checks the current attachment's digest and moves past it.
  Status CloseAttachment();

  std::uint64_t padded_length_;
  AttachmentSinks sinks_;
  Status status_;  // the first failure, which sticks
  std::uint64_t received_ = 0;
  Stage stage_ = Stage::kLengthField;

  std::array<std::uint8_t, kSubmissionLengthFieldSize> length_field_{};
  std::size_t length_field_filled_ = 0;
  std::size_t submission_length_ = 0;
  std::vector<std::uint8_t> submission_bytes_;  // released once parsed
  v1::Submission submission_;
  bool submission_ready_ = false;

  std::size_t next_attachment_ = 0;  // the current one while kAttachment
  std::uint64_t attachment_left_ = 0;
  ByteSink* attachment_sink_ = nullptr;
  std::optional<crypto::Sha256Hasher> attachment_hasher_;
};

}  // namespace amparo::protocol
