#pragma once
// plaintext_framing.h: the plaintext sealed inside an envelope's age file
// (proto/ENVELOPE.md section 6), produced as a stream:
//   u32be(S) || Submission (S bytes) || attachment 0 || ... || zero padding to P

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/io.h"
#include "common/result.h"

namespace amparo::protocol {

// AttachmentStream is one attachment's bytes in manifest order: `source` is
// borrowed and must yield exactly `length` bytes.
struct AttachmentStream {
  ByteSource* source = nullptr;
  std::uint64_t length = 0;
};

// kSubmissionLengthFieldSize is the size of u32be(S).
inline constexpr std::size_t kSubmissionLengthFieldSize = 4;

// FramedContentLength returns 4 + S + the sum of the attachment lengths,
// the content that padding then rounds up to a bucket. kLimitExceeded if S
// is over kMaxSubmissionMessageBytes, there are more than kMaxAttachments
// attachments, or the total is over the largest admissible bucket;
// kInvalidArgument if S is zero.
Result<std::uint64_t> FramedContentLength(std::size_t submission_length,
                                          std::span<const AttachmentStream> attachments);

// FramedPlaintextSource yields the framed plaintext of exactly padded_length
// bytes, reading each attachment only when its turn comes, so memory stays
// bounded whatever the attachments' sizes. submission, attachments and
// their sources are borrowed and must outlive it. padded_length must be at
// least FramedContentLength (a broken invariant aborts). A Read fails with
// kInvalidArgument if an attachment ends before its declared length or
// continues past it, and passes an attachment's own errors through; the
// plaintext read so far must then be discarded.
class FramedPlaintextSource final : public ByteSource {
 public:
  FramedPlaintextSource(std::span<const std::uint8_t> submission,
                        std::span<const AttachmentStream> attachments,
                        std::uint64_t padded_length);
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;

 private:
  // FinishAttachment checks that the current attachment has ended and moves on.
  Status FinishAttachment();

  std::array<std::uint8_t, kSubmissionLengthFieldSize> length_field_{};
  std::span<const std::uint8_t> prefix_;      // unread part of length_field_
  std::span<const std::uint8_t> submission_;  // unread part of the Submission
  std::span<const AttachmentStream> attachments_;  // current one first
  std::uint64_t attachment_left_ = 0;
  std::uint64_t padding_left_ = 0;
};

}  // namespace amparo::protocol
