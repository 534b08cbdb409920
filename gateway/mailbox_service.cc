#include "gateway/mailbox_service.h"

#include <algorithm>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "gateway/error_response.h"
#include "proto/api.pb.h"

namespace amparo::gateway {
namespace {

template <typename Message>
bool ParseStrict(std::span<const std::uint8_t> body, Message* message) {
  return body.size() <= limits::kMaxMailboxRequestBytes &&
         message->ParseFromArray(body.data(), static_cast<int>(body.size())) &&
         message->GetReflection()->GetUnknownFields(*message).empty();
}

// KeyFor names the mailbox of a 32-byte token.
storage::MailboxKey KeyFor(const crypto::SecretBytes<crypto::kMailboxSecretSize>& secret,
                           const std::string& token) {
  std::array<std::uint8_t, crypto::kMailboxTokenSize> bytes{};
  std::copy(token.begin(), token.end(), bytes.begin());
  const crypto::MailboxId id = crypto::MailboxIdForToken(bytes);
  crypto::Wipe(bytes);
  return crypto::MailboxKeyFor(secret, id);
}

}  // namespace

MailboxService::MailboxService(storage::EnvelopeStore& store,
                               crypto::SecretBytes<crypto::kMailboxSecretSize> secret,
                               MailboxRateLimiter& limiter)
    : store_(store), secret_(std::move(secret)), limiter_(limiter) {}

HttpResponse MailboxService::List(std::span<const std::uint8_t> body) {
  v1::MailboxRequest request;
  if (!ParseStrict(body, &request) || request.token().size() != crypto::kMailboxTokenSize) {
    return ResponseFor(Error::kInvalidArgument);
  }
  const storage::MailboxKey key = KeyFor(secret_, request.token());
  if (!limiter_.Allow(key)) return ResponseFor(Error::kRateLimited);
  // The same read for every token: an empty result and a full one cost
  // alike, and the answer always has kMailboxSlots ids.
  auto replies = store_.ListReplies(key);
  if (!replies.ok()) return ResponseFor(replies.error());
  v1::MailboxListing listing;
  for (std::uint32_t slot = 0; slot < limits::kMailboxSlots; ++slot) {
    const crypto::ReplyId filler = crypto::FillerReplyId(secret_, key, slot);
    if (slot < replies.value().size()) {
      const auto& id = replies.value()[slot].id.bytes();
      listing.add_reply_ids(std::string(AsText(id)));
    } else {
      listing.add_reply_ids(std::string(AsText(filler)));
    }
  }
  const std::string bytes = listing.SerializeAsString();
  return HttpResponse{200, "application/x-protobuf", std::vector<std::uint8_t>(bytes.begin(), bytes.end())};
}

HttpResponse MailboxService::Fetch(std::span<const std::uint8_t> body) {
  v1::MailboxFetchRequest request;
  if (!ParseStrict(body, &request) || request.token().size() != crypto::kMailboxTokenSize ||
      request.reply_id().size() != storage::kIdBytes) {
    return ResponseFor(Error::kInvalidArgument);
  }
  const storage::MailboxKey key = KeyFor(secret_, request.token());
  if (!limiter_.Allow(key)) return ResponseFor(Error::kRateLimited);
  auto id = storage::ReplyId::FromBytes(AsBytes(request.reply_id()));
  if (!id.ok()) return ResponseFor(Error::kInvalidArgument);
  auto sealed = store_.ReadReply(key, id.value());
  if (!sealed.ok()) return ResponseFor(sealed.error());
  return HttpResponse{200, "application/octet-stream", std::move(sealed).value()};
}

}  // namespace amparo::gateway
