#pragma once
// identities.h: the opening side's identities, which unwrap a file key from a
// recipient stanza. Linked only into the workstation tool.

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/age_format.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace amparo::crypto::age {

// Identity recognises the stanzas addressed to it and unwraps the file key.
class Identity {
 public:
  virtual ~Identity() = default;
  // Unwrap tries every stanza of a header. It returns the file key, nullopt
  // if no stanza is addressed to this identity (or none authenticates), or
  // kHeader if a stanza of its type is malformed.
  virtual Result<std::optional<FileKey>> Unwrap(std::span<const Stanza> stanzas) const = 0;
};

// X25519Identity is an "AGE-SECRET-KEY-1..." secret key in locked memory.
class X25519Identity final : public Identity {
 public:
  // Generate draws a new secret key from `random`.
  static X25519Identity Generate(RandomSource& random);
  // FromSecret takes a 32-byte secret derived elsewhere (the follow-up reply
  // key, crypto/followup_keys.h); the caller keeps and wipes its copy.
  static X25519Identity FromSecret(std::span<const std::uint8_t, 32> secret);
  // Parse decodes "AGE-SECRET-KEY-1..." (upper case only); kInvalidKey
  // otherwise. Intermediate copies of the secret are wiped.
  static Result<X25519Identity> Parse(std::string_view text);

  // EncodeSecret returns the Bech32 text of the secret key in locked memory.
  SecretBuffer EncodeSecret() const;
  X25519PublicKey PublicKey() const;
  Result<std::optional<FileKey>> Unwrap(std::span<const Stanza> stanzas) const override;

 private:
  X25519Identity() = default;
  SecretBytes<32> secret_;
};

// ScryptIdentity opens files sealed to a passphrase. It refuses work factors
// above max_log_n (at most kMaxScryptLogN) and headers where the scrypt stanza
// is not alone.
class ScryptIdentity final : public Identity {
 public:
  ScryptIdentity(SecretBuffer passphrase, int max_log_n = limits::kMaxScryptLogN);
  Result<std::optional<FileKey>> Unwrap(std::span<const Stanza> stanzas) const override;

 private:
  SecretBuffer passphrase_;
  int max_log_n_;
};

// ParseScryptWorkFactor reads the decimal work factor of a scrypt stanza:
// digits only, no leading zero, within [1, max_log_n]; kHeader otherwise.
Result<int> ParseScryptWorkFactor(std::string_view text, int max_log_n);

// ParseIdentityFile reads an identity file in age-keygen's format: one
// "AGE-SECRET-KEY-1..." per line, empty lines and '#' comments ignored;
// kInvalidKey if any other line is present or no key is.
Result<std::vector<X25519Identity>> ParseIdentityFile(std::string_view content);

}  // namespace amparo::crypto::age
