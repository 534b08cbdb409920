#pragma once
// recipients.h: the sealing side's recipients, which wrap a file key into a
// stanza. Nothing here can unwrap one.

#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/age_format.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace amparo::crypto::age {

// Recipient wraps a file key into one stanza.
class Recipient {
 public:
  virtual ~Recipient() = default;
  // Wrap returns a stanza for file_key; randomness comes from `random`.
  virtual Result<Stanza> Wrap(const FileKey& file_key, RandomSource& random) const = 0;
  // MustBeAlone reports whether the recipient refuses to share a header.
  virtual bool MustBeAlone() const { return false; }
};

// X25519Recipient wraps to an "age1..." public key with a fresh ephemeral
// key per stanza.
class X25519Recipient final : public Recipient {
 public:
  explicit X25519Recipient(const X25519PublicKey& key) : key_(key) {}
  Result<Stanza> Wrap(const FileKey& file_key, RandomSource& random) const override;
  const X25519PublicKey& key() const { return key_; }

 private:
  X25519PublicKey key_;
};

// ScryptRecipient wraps under a passphrase. age forbids mixing it with other
// stanzas: a passphrase file should be openable by its passphrase alone.
class ScryptRecipient final : public Recipient {
 public:
  // log_n must be within [1, kMaxScryptLogN]; 18 is age's default.
  ScryptRecipient(SecretBuffer passphrase, int log_n)
      : passphrase_(std::move(passphrase)), log_n_(log_n) {}
  Result<Stanza> Wrap(const FileKey& file_key, RandomSource& random) const override;
  bool MustBeAlone() const override { return true; }

 private:
  SecretBuffer passphrase_;
  int log_n_;
};

// ParseRecipientsFile reads one "age1..." recipient per line, ignoring empty
// lines and lines starting with '#'; kInvalidKey if any other line is not a
// recipient.
Result<std::vector<X25519PublicKey>> ParseRecipientsFile(std::string_view content);

}  // namespace amparo::crypto::age
