#pragma once
// mailbox_secret.h: the gateway's mailbox secret K (proto/FOLLOWUP.md
// section 3), the HMAC key that names mailboxes in its store. amparo-admin
// init creates it beside the configuration (mode 0600); the gateway and the
// operator's tool read it. A copy of the store alone cannot link a mailbox id
// to its mailbox without it.

#include <filesystem>

#include "common/result.h"
#include "crypto/mailbox.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace amparo::protocol {

// CreateMailboxSecret writes a new secret drawn from `random` to `file`
// (mode 0600, never replacing a file); kIo if it exists or cannot be written.
Status CreateMailboxSecret(const std::filesystem::path& file, crypto::RandomSource& random);

// LoadMailboxSecret reads the secret; kIo if unreadable, kInvalidKey unless
// the file holds exactly one line of 64 lower-case hex digits besides '#'
// comments.
Result<crypto::SecretBytes<crypto::kMailboxSecretSize>> LoadMailboxSecret(
    const std::filesystem::path& file);

}  // namespace amparo::protocol
