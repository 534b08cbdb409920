#include "crypto/followup_keys.h"

#include <sodium.h>

#include <string_view>

#include "crypto/hkdf.h"
#include "crypto/sodium.h"

namespace amparo::crypto {
namespace {

// The fixed salt: a code carries 110 random bits, so there is nothing for a
// salt to make unique (FOLLOWUP.md section 2).
constexpr std::string_view kCodeSalt{"amparo/v1 code\0\0", 16};
static_assert(kCodeSalt.size() == crypto_pwhash_SALTBYTES);
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;  // 2
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;         // 64 MiB

}  // namespace

Result<FollowUpKeys> DeriveFollowUpKeys(const SecretBuffer& canonical_code) {
  if (canonical_code.size() == 0) return Error::kInvalidArgument;
  EnsureSodium();
  SecretBytes<32> master;
  if (crypto_pwhash(master.data(), master.size(), reinterpret_cast<const char*>(canonical_code.data()),
                    canonical_code.size(), reinterpret_cast<const unsigned char*>(kCodeSalt.data()),
                    kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::kUnavailable;  // out of memory
  }
  SecretBytes<32> reply_secret;
  HkdfSha256(master.span(), {}, "amparo/v1 reply key", reply_secret.span());
  SecretBytes<kMailboxTokenSize> token;
  HkdfSha256(master.span(), {}, "amparo/v1 mailbox token", token.span());
  age::X25519Identity identity = age::X25519Identity::FromSecret(reply_secret.span());
  const X25519PublicKey reply_public = identity.PublicKey();
  const MailboxId mailbox_id = MailboxIdForToken(token.span());
  return FollowUpKeys{std::move(identity), reply_public, std::move(token), mailbox_id};
}

}  // namespace amparo::crypto
