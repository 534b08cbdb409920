#include "protocol/reply_plaintext.h"

#include <algorithm>
#include <string>

#include "common/io.h"
#include "common/limits.h"
#include "crypto/age_encrypt.h"
#include "crypto/recipients.h"
#include "crypto/signatures.h"
#include "protocol/canonical_encoding.h"
#include "protocol/padme.h"
#include "protocol/unknown_fields.h"
#include "protocol/utf8.h"

namespace amparo::protocol {
namespace {

constexpr std::size_t kLengthField = 4;
constexpr std::size_t kMaxLanguageBytes = 35;
constexpr std::size_t kMaxFileNameBytes = 256;
constexpr std::size_t kMaxMediaTypeBytes = 128;
constexpr std::size_t kMaxDescriptionBytes = 1024;

bool ValidFileName(const std::string& name) {
  if (name.empty() || name.size() > kMaxFileNameBytes || !IsValidUtf8(name)) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f || c == '/' || c == '\\';
  });
}

}  // namespace

Status ValidateReply(const v1::Reply& reply) {
  const bool is_status = reply.kind() == v1::REPLY_KIND_STATUS;
  if (reply.format_version() != 1 ||
      (reply.kind() != v1::REPLY_KIND_MESSAGE && !is_status) ||
      reply.text().size() > limits::kMaxReplyTextBytes || !IsValidUtf8(reply.text()) ||
      is_status != (reply.status() != v1::CASE_STATUS_UNSPECIFIED) ||
      !v1::CaseStatus_IsValid(reply.status()) || reply.day() < 0 || reply.day() > limits::kMaxDay ||
      reply.language().size() > kMaxLanguageBytes ||
      static_cast<std::size_t>(reply.attachments_size()) > limits::kMaxReplyAttachments) {
    return Error::kInvalidArgument;
  }
  for (const v1::Attachment& a : reply.attachments()) {
    if (!ValidFileName(a.file_name()) || a.media_type().empty() ||
        a.media_type().size() > kMaxMediaTypeBytes || a.sha256().size() != 32 ||
        a.description().size() > kMaxDescriptionBytes || !IsValidUtf8(a.description())) {
      return Error::kInvalidArgument;
    }
  }
  return OkStatus();
}

Result<std::vector<std::uint8_t>> SealReply(v1::Reply reply,
                                            const std::vector<ReplyAttachment>& attachments,
                                            const crypto::X25519PublicKey& recipient,
                                            crypto::RandomSource& random) {
  reply.clear_attachments();
  std::uint64_t attached = 0;
  for (const ReplyAttachment& file : attachments) {
    v1::Attachment* entry = reply.add_attachments();
    entry->set_file_name(file.file_name);
    entry->set_media_type(file.media_type);
    entry->set_description(file.description);
    entry->set_length(file.bytes.size());
    const auto digest = crypto::Sha256(file.bytes);
    entry->set_sha256(std::string(AsText(digest)));
    attached += file.bytes.size();
  }
  AMPARO_RETURN_IF_ERROR(ValidateReply(reply));
  const std::vector<std::uint8_t> message = SerializeDeterministic(reply);
  if (message.empty() || message.size() > limits::kMaxReplyMessageBytes) return Error::kLimitExceeded;
  auto padded = PaddedLength(kLengthField + message.size() + attached, limits::kMaxReplyPaddedBytes);
  if (!padded.ok()) return Error::kLimitExceeded;
  std::vector<std::uint8_t> plaintext;
  plaintext.reserve(static_cast<std::size_t>(padded.value()));
  for (int shift = 24; shift >= 0; shift -= 8) {
    plaintext.push_back(static_cast<std::uint8_t>(message.size() >> shift));
  }
  plaintext.insert(plaintext.end(), message.begin(), message.end());
  for (const ReplyAttachment& file : attachments) {
    plaintext.insert(plaintext.end(), file.bytes.begin(), file.bytes.end());
  }
  plaintext.resize(static_cast<std::size_t>(padded.value()), 0);
  SpanSource in(plaintext);
  VectorSink out;
  const crypto::age::X25519Recipient to(recipient);
  const crypto::age::Recipient* recipients[] = {&to};
  AMPARO_RETURN_IF_ERROR(crypto::age::Encrypt(recipients, in, out, random));
  return out.bytes();
}

Result<OpenedReply> ReadReplyPlaintext(std::span<const std::uint8_t> plaintext) {
  const std::uint64_t size = plaintext.size();
  if (size > limits::kMaxReplyPaddedBytes || !IsPadmeBucket(size) || size < kLengthField) {
    return Error::kMalformedEnvelope;
  }
  const std::size_t length = (std::size_t{plaintext[0]} << 24) | (std::size_t{plaintext[1]} << 16) |
                             (std::size_t{plaintext[2]} << 8) | plaintext[3];
  if (length == 0 || length > limits::kMaxReplyMessageBytes || kLengthField + length > size) {
    return Error::kMalformedEnvelope;
  }
  OpenedReply opened;
  const auto message = plaintext.subspan(kLengthField, length);
  if (!opened.reply.ParseFromArray(message.data(), static_cast<int>(message.size())) ||
      HasUnknownFields(opened.reply) || !ValidateReply(opened.reply).ok()) {
    return Error::kMalformedEnvelope;
  }
  std::size_t at = kLengthField + length;
  for (const v1::Attachment& entry : opened.reply.attachments()) {
    if (entry.length() > size - at) return Error::kMalformedEnvelope;
    const auto bytes = plaintext.subspan(at, static_cast<std::size_t>(entry.length()));
    const auto digest = crypto::Sha256(bytes);
    if (AsText(digest) != entry.sha256()) return Error::kMalformedEnvelope;
    opened.attachments.emplace_back(bytes.begin(), bytes.end());
    at += bytes.size();
  }
  // The padding is zeros, and the bucket the smallest that holds the content.
  if (std::any_of(plaintext.begin() + static_cast<std::ptrdiff_t>(at), plaintext.end(),
                  [](std::uint8_t b) { return b != 0; })) {
    return Error::kMalformedEnvelope;
  }
  auto expected = PaddedLength(at, limits::kMaxReplyPaddedBytes);
  if (!expected.ok() || expected.value() != size) return Error::kMalformedEnvelope;
  return opened;
}

}  // namespace amparo::protocol
