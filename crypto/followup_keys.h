#pragma once
// followup_keys.h: what a receipt code derives (proto/FOLLOWUP.md section 2):
// Argon2id over the canonical code, then HKDF into the X25519 identity that
// opens the replies and the token that reads the mailbox, whose hash names
// it. Clients only: the gateway never sees a code or a reply secret.

#include <optional>

#include "common/result.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "crypto/mailbox.h"
#include "crypto/secret.h"

namespace amparo::crypto {

// FollowUpKeys are the derivations of one code.
struct FollowUpKeys {
  age::X25519Identity reply_identity;     // opens the sealed replies
  X25519PublicKey reply_public_key;  // travels in Submission.follow_up
  SecretBytes<kMailboxTokenSize> token;
  MailboxId mailbox_id;              // travels in Submission.follow_up
};

// DeriveFollowUpKeys derives from a canonical code (CanonicalReceiptCode or
// GenerateReceiptCode); kInvalidArgument for an empty code, kUnavailable if
// Argon2id cannot have its 64 MiB. Takes about 0.1 s. Intermediate keys are
// wiped.
Result<FollowUpKeys> DeriveFollowUpKeys(const SecretBuffer& canonical_code);

}  // namespace amparo::crypto
