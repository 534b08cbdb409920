#pragma once
// replies_file.h: the replies file, which carries sealed follow-up replies
// from the workstation to the gateway (proto/FOLLOWUP.md section 5). This
// module holds no signing key: the workstation signs EncodeReplies' output
// with the root key under kRepliesSignatureContext and passes the signature
// in. Built like the acknowledgement file (acknowledgement_file.h).
//
//   replies file = "AMPR" || 0x01 || SignedReplies  (to the end)

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/mailbox.h"
#include "crypto/signatures.h"

namespace amparo::protocol {

inline constexpr std::string_view kRepliesFileMagic = "AMPR";
inline constexpr std::uint8_t kRepliesFileVersion = 1;

// kRepliesSignatureContext is "amparo/v1 replies" and a zero byte (18 bytes).
inline constexpr std::string_view kRepliesSignatureContext{"amparo/v1 replies\0", 18};
static_assert(kRepliesSignatureContext.size() == 18);

// ReplyFileEntry is one sealed reply for one mailbox.
struct ReplyFileEntry {
  crypto::MailboxId mailbox_id{};
  crypto::ReplyId reply_id{};
  std::vector<std::uint8_t> sealed;
  bool operator==(const ReplyFileEntry&) const = default;
};

// RepliesFileContent is a RepliesContent: what the root key signs.
struct RepliesFileContent {
  std::uint64_t batch_number = 0;
  std::int64_t created_day = 0;
  std::vector<ReplyFileEntry> entries;
  bool operator==(const RepliesFileContent&) const = default;
};

struct VerifiedReplies {
  RepliesFileContent content;
  crypto::Ed25519PublicKey signing_root;
};

// ValidateReplies checks every bound of followup.proto: batch_number >= 1,
// created_day within 0..kMaxDay, 1..kMaxRepliesPerFile entries, each reply
// id not all zero and unique, each sealed reply 1..kMaxSealedReplyBytes.
// kMalformedTransfer for the first bound broken.
Status ValidateReplies(const RepliesFileContent& content);

// EncodeReplies returns the canonical encoding of content, the exact bytes
// the root key signs. Call ValidateReplies first.
std::vector<std::uint8_t> EncodeReplies(const RepliesFileContent& content);

// EncodeRepliesFile returns the whole file around EncodeReplies' output.
std::vector<std::uint8_t> EncodeRepliesFile(
    std::span<const std::uint8_t> replies,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root);

// VerifyRepliesFile verifies a whole file; the first step that fails decides:
//  1. kLimitExceeded if longer than kMaxRepliesFileBytes, unread;
//  2. kMalformedTransfer unless it starts "AMPR", 0x01;
//  3. kMalformedTransfer unless the rest is a canonical SignedReplies (its
//     three fields once, in order) with a 64-byte signature and a 32-byte
//     root key;
//  4. kBadSignature unless the root is one of accepted_roots and the
//     signature verifies over the context and the exact replies bytes,
//     which are parsed only after it does;
//  5. kMalformedTransfer unless they parse, have no unknown field, are
//     canonical and keep every bound (ValidateReplies).
Result<VerifiedReplies> VerifyRepliesFile(std::span<const std::uint8_t> file,
                                          std::span<const crypto::Ed25519PublicKey> accepted_roots);

// LooksLikeRepliesFile reports whether prefix starts with kRepliesFileMagic.
bool LooksLikeRepliesFile(std::span<const std::uint8_t> prefix);

}  // namespace amparo::protocol
