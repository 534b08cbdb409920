#include "protocol/plaintext_framing.h"

#include <algorithm>
#include <cstdlib>

#include "common/limits.h"
#include "protocol/padme.h"

namespace amparo::protocol {

Result<std::uint64_t> FramedContentLength(std::size_t submission_length,
                                          std::span<const AttachmentStream> attachments) {
  if (submission_length == 0) return Error::kInvalidArgument;
  if (submission_length > limits::kMaxSubmissionMessageBytes ||
      attachments.size() > limits::kMaxAttachments) {
    return Error::kLimitExceeded;
  }
  std::uint64_t total = kSubmissionLengthFieldSize + submission_length;
  for (const AttachmentStream& attachment : attachments) {
    // Checked one by one, so the sum can never wrap.
    if (attachment.length > kLargestPaddedBucket - total) return Error::kLimitExceeded;
    total += attachment.length;
  }
  return total;
}

FramedPlaintextSource::FramedPlaintextSource(std::span<const std::uint8_t> submission,
                                             std::span<const AttachmentStream> attachments,
                                             std::uint64_t padded_length)
    : submission_(submission), attachments_(attachments) {
  const auto content = FramedContentLength(submission.size(), attachments);
  if (!content.ok() || content.value() > padded_length) std::abort();
  const auto s = static_cast<std::uint32_t>(submission.size());
  length_field_ = {static_cast<std::uint8_t>(s >> 24), static_cast<std::uint8_t>(s >> 16),
                   static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)};
  prefix_ = length_field_;
  if (!attachments_.empty()) attachment_left_ = attachments_.front().length;
  padding_left_ = padded_length - content.value();
}

Status FramedPlaintextSource::FinishAttachment() {
  // A source with more bytes than declared would shift every later byte.
  std::array<std::uint8_t, 1> extra{};
  auto n = attachments_.front().source->Read(extra);
  if (!n.ok()) return n.error();
  if (n.value() != 0) return Error::kInvalidArgument;
  attachments_ = attachments_.subspan(1);
  if (!attachments_.empty()) attachment_left_ = attachments_.front().length;
  return OkStatus();
}

Result<std::size_t> FramedPlaintextSource::Read(std::span<std::uint8_t> out) {
  std::size_t filled = 0;
  const auto copy_from = [&](std::span<const std::uint8_t>& from) {
    const std::size_t n = std::min(from.size(), out.size() - filled);
    std::copy_n(from.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(filled));
    from = from.subspan(n);
    filled += n;
  };
  copy_from(prefix_);
  copy_from(submission_);
  while (filled < out.size() && !attachments_.empty()) {
    if (attachment_left_ == 0) {
      AMPARO_RETURN_IF_ERROR(FinishAttachment());
      continue;
    }
    ByteSource* source = attachments_.front().source;
    if (source == nullptr) return Error::kInvalidArgument;
    const auto want = static_cast<std::size_t>(
        std::min<std::uint64_t>(attachment_left_, out.size() - filled));
    auto n = source->Read(out.subspan(filled, want));
    if (!n.ok()) return n.error();
    if (n.value() == 0) return Error::kInvalidArgument;  // shorter than declared
    filled += n.value();
    attachment_left_ -= n.value();
  }
  if (attachments_.empty()) {
    const auto zeros =
        static_cast<std::size_t>(std::min<std::uint64_t>(padding_left_, out.size() - filled));
    std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(filled), zeros, std::uint8_t{0});
    filled += zeros;
    padding_left_ -= zeros;
  }
  return filled;
}

}  // namespace amparo::protocol
