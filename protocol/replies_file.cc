#include "protocol/replies_file.h"

#include <algorithm>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/followup.pb.h"
#include "protocol/canonical_encoding.h"
#include "protocol/root_signed.h"
#include "protocol/unknown_fields.h"

namespace amparo::protocol {
namespace {

template <std::size_t N>
bool CopyExact(const std::string& from, std::array<std::uint8_t, N>* to) {
  if (from.size() != N) return false;
  const auto bytes = AsBytes(from);
  std::copy(bytes.begin(), bytes.end(), to->begin());
  return true;
}

// ParseReplies is step 5, on signed bytes.
Result<RepliesFileContent> ParseReplies(std::span<const std::uint8_t> bytes) {
  constexpr std::uint32_t kEntriesField = 3;
  if (!RepeatedFieldWithin(bytes, kEntriesField, limits::kMaxRepliesPerFile)) {
    return Error::kMalformedTransfer;
  }
  v1::RepliesContent message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      HasUnknownFields(message) || !IsCanonicalEncoding(message, bytes)) {
    return Error::kMalformedTransfer;
  }
  RepliesFileContent content;
  content.batch_number = message.batch_number();
  content.created_day = message.created_day();
  for (const v1::ReplyEntry& entry : message.entries()) {
    ReplyFileEntry out;
    if (!CopyExact(entry.mailbox_id(), &out.mailbox_id) || !CopyExact(entry.reply_id(), &out.reply_id)) {
      return Error::kMalformedTransfer;
    }
    const auto sealed = AsBytes(entry.sealed());
    out.sealed.assign(sealed.begin(), sealed.end());
    content.entries.push_back(std::move(out));
  }
  AMPARO_RETURN_IF_ERROR(ValidateReplies(content));
  return content;
}

}  // namespace

Status ValidateReplies(const RepliesFileContent& content) {
  if (content.batch_number < 1 || content.created_day < 0 || content.created_day > limits::kMaxDay ||
      content.entries.empty() || content.entries.size() > limits::kMaxRepliesPerFile) {
    return Error::kMalformedTransfer;
  }
  std::vector<crypto::ReplyId> ids;
  for (const ReplyFileEntry& entry : content.entries) {
    if (entry.reply_id == crypto::ReplyId{} || entry.sealed.empty() ||
        entry.sealed.size() > limits::kMaxSealedReplyBytes) {
      return Error::kMalformedTransfer;
    }
    ids.push_back(entry.reply_id);
  }
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) return Error::kMalformedTransfer;
  return OkStatus();
}

std::vector<std::uint8_t> EncodeReplies(const RepliesFileContent& content) {
  v1::RepliesContent message;
  message.set_batch_number(content.batch_number);
  message.set_created_day(content.created_day);
  for (const ReplyFileEntry& entry : content.entries) {
    v1::ReplyEntry* out = message.add_entries();
    out->set_mailbox_id(std::string(AsText(entry.mailbox_id)));
    out->set_reply_id(std::string(AsText(entry.reply_id)));
    out->set_sealed(std::string(AsText(entry.sealed)));
  }
  return SerializeDeterministic(message);
}

std::vector<std::uint8_t> EncodeRepliesFile(
    std::span<const std::uint8_t> replies,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root) {
  v1::SignedReplies message;
  message.set_replies(std::string(AsText(replies)));
  message.set_signature(std::string(AsText(signature)));
  message.set_root_public_key(std::string(AsText(root.bytes)));
  std::vector<std::uint8_t> file(kRepliesFileMagic.begin(), kRepliesFileMagic.end());
  file.push_back(kRepliesFileVersion);
  const std::vector<std::uint8_t> body = SerializeDeterministic(message);
  file.insert(file.end(), body.begin(), body.end());
  return file;
}

Result<VerifiedReplies> VerifyRepliesFile(std::span<const std::uint8_t> file,
                                          std::span<const crypto::Ed25519PublicKey> accepted_roots) {
  if (file.size() > limits::kMaxRepliesFileBytes) return Error::kLimitExceeded;
  ByteReader reader(file);
  std::uint8_t version = 0;
  if (!reader.ConsumePrefix(kRepliesFileMagic) || !reader.ReadU8(&version) ||
      version != kRepliesFileVersion) {
    return Error::kMalformedTransfer;
  }
  // Only the workstation's root may put words in a submitter's mailbox.
  auto opened = OpenRootSigned(reader, accepted_roots, kRepliesSignatureContext);
  if (!opened.ok()) return opened.error();
  auto content = ParseReplies(opened.value().content);
  if (!content.ok()) return content.error();
  return VerifiedReplies{std::move(content).value(), opened.value().root};
}

bool LooksLikeRepliesFile(std::span<const std::uint8_t> prefix) {
  return ByteReader(prefix).StartsWith(kRepliesFileMagic);
}

}  // namespace amparo::protocol
