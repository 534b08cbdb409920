#pragma once
// mailbox_service.h: the gateway's follow-up mailboxes (proto/FOLLOWUP.md
// section 3.1). A client presents the token its receipt code derives; the
// service names the mailbox as HMAC(K, SHA-256(context || token)) and answers
// a listing of exactly kMailboxSlots ids, or one sealed reply. Whether or not
// the mailbox exists, a listing has the same size and takes the same steps:
// there is no existence oracle. Nothing about the request is recorded.

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/mailbox.h"
#include "crypto/secret.h"
#include "gateway/mailbox_rate_limiter.h"
#include "gateway/http_types.h"
#include "storage/envelope_store.h"

namespace amparo::gateway {

class MailboxService {
 public:
  // store and limiter are borrowed and must outlive the service; secret is
  // the gateway's mailbox secret K (protocol/mailbox_secret.h).
  MailboxService(storage::EnvelopeStore& store, crypto::SecretBytes<crypto::kMailboxSecretSize> secret,
                 MailboxRateLimiter& limiter);

  // List answers POST /v1/mailbox/list: 200 MailboxListing; 400 for a body
  // that is not a MailboxRequest with a 32-byte token; 429 past the rate.
  HttpResponse List(std::span<const std::uint8_t> body);

  // Fetch answers POST /v1/mailbox/fetch: 200 with the sealed reply, 404
  // for an id the mailbox does not hold; 400 and 429 as List.
  HttpResponse Fetch(std::span<const std::uint8_t> body);

 private:
  storage::EnvelopeStore& store_;
  const crypto::SecretBytes<crypto::kMailboxSecretSize> secret_;
  MailboxRateLimiter& limiter_;
};

}  // namespace amparo::gateway
