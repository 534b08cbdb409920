#include "protocol/plaintext_reader.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "protocol/padme.h"
#include "protocol/unknown_fields.h"
#include "protocol/utf8.h"

namespace amparo::protocol {
namespace {

// IsShowableName holds a file name to submission.proto: it is only ever
// shown, never used as a path, and must not steer a terminal or a path API.
bool IsShowableName(const std::string& name) {
  if (name.empty() || name.size() > kMaxAttachmentFileNameBytes || !IsValidUtf8(name)) {
    return false;
  }
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f || c == '/' || c == '\\';
  });
}

}  // namespace

Status ValidateAttachmentEntry(const v1::Attachment& attachment) {
  if (!IsShowableName(attachment.file_name()) || attachment.media_type().empty() ||
      attachment.media_type().size() > kMaxAttachmentMediaTypeBytes ||
      attachment.sha256().size() != kAttachmentDigestSize) {
    return Error::kMalformedEnvelope;
  }
  return OkStatus();
}

PlaintextReader::PlaintextReader(std::uint64_t padded_length, AttachmentSinks sinks)
    : padded_length_(padded_length), sinks_(std::move(sinks)) {
  if (padded_length == 0 || padded_length > limits::kMaxPaddedLength) {
    status_ = Error::kInvalidArgument;
  }
}

const v1::Submission& PlaintextReader::submission() const {
  if (!submission_ready_) std::abort();
  return submission_;
}

Status PlaintextReader::Write(std::span<const std::uint8_t> data) {
  if (!status_.ok()) return status_;
  // Refused before anything is consumed: no byte may follow the padding.
  if (data.size() > padded_length_ - received_) {
    status_ = Error::kMalformedEnvelope;
    return status_;
  }
  status_ = Consume(data);
  return status_;
}

Status PlaintextReader::Finish() {
  if (!status_.ok()) return status_;
  // All of P came only if the stream reached the padding, even an empty one.
  if (received_ != padded_length_ || stage_ != Stage::kPadding) {
    status_ = Error::kMalformedEnvelope;
  }
  return status_;
}

Status PlaintextReader::Consume(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    std::size_t taken = 0;
    switch (stage_) {
      case Stage::kLengthField: {
        taken = std::min(data.size(), length_field_.size() - length_field_filled_);
        std::copy_n(data.begin(), taken,
                    length_field_.begin() + static_cast<std::ptrdiff_t>(length_field_filled_));
        length_field_filled_ += taken;
        if (length_field_filled_ == length_field_.size()) {
          AMPARO_RETURN_IF_ERROR(StartSubmission());
        }
        break;
      }
      case Stage::kSubmission: {
        taken = std::min(data.size(), submission_length_ - submission_bytes_.size());
        submission_bytes_.insert(submission_bytes_.end(), data.begin(),
                                 data.begin() + static_cast<std::ptrdiff_t>(taken));
        if (submission_bytes_.size() == submission_length_) {
          AMPARO_RETURN_IF_ERROR(ParseSubmission());
        }
        break;
      }
      case Stage::kAttachment: {
        taken = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), attachment_left_));
        const auto piece = data.first(taken);
        attachment_hasher_->Update(piece);
        if (attachment_sink_ != nullptr) AMPARO_RETURN_IF_ERROR(attachment_sink_->Write(piece));
        attachment_left_ -= taken;
        if (attachment_left_ == 0) {
          AMPARO_RETURN_IF_ERROR(CloseAttachment());
          AMPARO_RETURN_IF_ERROR(OpenAttachments());
        }
        break;
      }
      case Stage::kPadding: {
        // Only zeros: anything else would be a channel no reviewer sees.
        taken = data.size();
        if (std::any_of(data.begin(), data.end(), [](std::uint8_t byte) { return byte != 0; })) {
          return Error::kMalformedEnvelope;
        }
        break;
      }
    }
    received_ += taken;
    data = data.subspan(taken);
  }
  return OkStatus();
}

Status PlaintextReader::StartSubmission() {
  const std::uint32_t length = (std::uint32_t{length_field_[0]} << 24) |
                               (std::uint32_t{length_field_[1]} << 16) |
                               (std::uint32_t{length_field_[2]} << 8) | length_field_[3];
  // Checked against P before any of it is buffered (ENVELOPE.md section 11,
  // step 3), so a hostile S costs at most 1 MiB and never more than P.
  if (length == 0 || length > limits::kMaxSubmissionMessageBytes ||
      kSubmissionLengthFieldSize + std::uint64_t{length} > padded_length_) {
    return Error::kMalformedEnvelope;
  }
  submission_length_ = length;
  submission_bytes_.reserve(submission_length_);
  stage_ = Stage::kSubmission;
  return OkStatus();
}

Status PlaintextReader::ParseSubmission() {
  const bool parsed = submission_.ParseFromArray(submission_bytes_.data(),
                                                 static_cast<int>(submission_bytes_.size()));
  std::vector<std::uint8_t>().swap(submission_bytes_);
  // Fields this build does not know would carry what no reviewer ever sees.
  if (!parsed || HasUnknownFields(submission_) ||
      static_cast<std::size_t>(submission_.attachments_size()) > limits::kMaxAttachments) {
    return Error::kMalformedEnvelope;
  }
  std::uint64_t content = kSubmissionLengthFieldSize + submission_length_;
  for (const v1::Attachment& attachment : submission_.attachments()) {
    AMPARO_RETURN_IF_ERROR(ValidateAttachmentEntry(attachment));
    // Checked one by one, so the sum can never wrap (content <= P throughout).
    if (attachment.length() > padded_length_ - content) return Error::kMalformedEnvelope;
    content += attachment.length();
  }
  // Only the smallest bucket (section 11, step 5): a sender free to pick a
  // larger P could mark its envelopes by size for whoever sees the gateway.
  const auto bucket = PaddedLength(content);
  if (!bucket.ok() || bucket.value() != padded_length_) return Error::kMalformedEnvelope;
  submission_ready_ = true;
  return OpenAttachments();
}

Status PlaintextReader::OpenAttachments() {
  while (next_attachment_ < static_cast<std::size_t>(submission_.attachments_size())) {
    const v1::Attachment& entry = submission_.attachments(static_cast<int>(next_attachment_));
    attachment_sink_ = sinks_ ? sinks_(next_attachment_, entry) : nullptr;
    attachment_hasher_.emplace();
    attachment_left_ = entry.length();
    if (attachment_left_ > 0) {
      stage_ = Stage::kAttachment;
      return OkStatus();
    }
    AMPARO_RETURN_IF_ERROR(CloseAttachment());
  }
  stage_ = Stage::kPadding;
  return OkStatus();
}

Status PlaintextReader::CloseAttachment() {
  const v1::Attachment& entry = submission_.attachments(static_cast<int>(next_attachment_));
  const std::array<std::uint8_t, kAttachmentDigestSize> digest = attachment_hasher_->Finish();
  attachment_hasher_.reset();
  attachment_sink_ = nullptr;
  // On a mismatch the sink already holds the attachment's bytes: they must be
  // discarded, which is why the caller keeps nothing unless Finish succeeds.
  const std::span<const std::uint8_t> declared = AsBytes(entry.sha256());
  if (!std::equal(digest.begin(), digest.end(), declared.begin(), declared.end())) {
    return Error::kMalformedEnvelope;
  }
  ++next_attachment_;
  return OkStatus();
}

}  // namespace amparo::protocol
