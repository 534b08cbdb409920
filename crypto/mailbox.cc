#include "crypto/mailbox.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "crypto/hkdf.h"
#include "crypto/signatures.h"

namespace amparo::crypto {
namespace {

constexpr std::string_view kMailboxIdContext{"amparo/v1 mailbox id\0", 21};
constexpr std::string_view kFillerContext{"amparo/v1 filler\0", 17};

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

MailboxId MailboxIdForToken(std::span<const std::uint8_t, kMailboxTokenSize> token) {
  std::vector<std::uint8_t> message(Bytes(kMailboxIdContext).begin(), Bytes(kMailboxIdContext).end());
  message.insert(message.end(), token.begin(), token.end());
  const MailboxId id = Sha256(message);
  Wipe(message);
  return id;
}

MailboxKey MailboxKeyFor(const SecretBytes<kMailboxSecretSize>& secret, const MailboxId& mailbox_id) {
  return HmacSha256(secret.span(), mailbox_id);
}

ReplyId FillerReplyId(const SecretBytes<kMailboxSecretSize>& secret, const MailboxKey& mailbox_key,
                      std::uint32_t slot) {
  std::vector<std::uint8_t> message(Bytes(kFillerContext).begin(), Bytes(kFillerContext).end());
  message.insert(message.end(), mailbox_key.begin(), mailbox_key.end());
  for (int shift = 24; shift >= 0; shift -= 8) message.push_back(static_cast<std::uint8_t>(slot >> shift));
  const auto mac = HmacSha256(secret.span(), message);
  ReplyId id{};
  std::copy(mac.begin(), mac.begin() + kReplyIdSize, id.begin());
  return id;
}

}  // namespace amparo::crypto
