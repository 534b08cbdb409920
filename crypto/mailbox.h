#pragma once
// mailbox.h: how the gateway names a follow-up mailbox (proto/FOLLOWUP.md
// sections 2 and 3) from what a client presents. Nothing here opens anything:
// the gateway computes these, and so do the clients and the workstation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/secret.h"

namespace amparo::crypto {

inline constexpr std::size_t kMailboxTokenSize = 32;
inline constexpr std::size_t kMailboxIdSize = 32;
inline constexpr std::size_t kMailboxSecretSize = 32;
inline constexpr std::size_t kReplyIdSize = 16;

using MailboxId = std::array<std::uint8_t, kMailboxIdSize>;
using MailboxKey = std::array<std::uint8_t, 32>;
using ReplyId = std::array<std::uint8_t, kReplyIdSize>;

// MailboxIdForToken is SHA-256("amparo/v1 mailbox id" || 0x00 || token).
MailboxId MailboxIdForToken(std::span<const std::uint8_t, kMailboxTokenSize> token);

// MailboxKeyFor is HMAC-SHA-256(K, mailbox_id): the mailbox's name in the
// gateway's store, under the gateway's secret K.
MailboxKey MailboxKeyFor(const SecretBytes<kMailboxSecretSize>& secret, const MailboxId& mailbox_id);

// FillerReplyId is the reply id a listing shows in empty slot `slot`:
// HMAC-SHA-256(K, "amparo/v1 filler" || 0x00 || mailbox_key || u32be(slot))
// cut to 16 bytes, stable for a mailbox and looking like any random id.
ReplyId FillerReplyId(const SecretBytes<kMailboxSecretSize>& secret, const MailboxKey& mailbox_key,
                      std::uint32_t slot);

}  // namespace amparo::crypto
