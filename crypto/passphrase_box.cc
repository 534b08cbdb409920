#include "crypto/passphrase_box.h"

#include <sodium.h>

#include "crypto/sodium.h"

namespace amparo::crypto {

static_assert(kPassphraseSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kBoxNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kBoxTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kBoxKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kPasswordHashInteractive.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(kPasswordHashInteractive.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(kPasswordHashModerate.opslimit == crypto_pwhash_OPSLIMIT_MODERATE);
static_assert(kPasswordHashModerate.memlimit == crypto_pwhash_MEMLIMIT_MODERATE);
static_assert(kPasswordHashSensitive.opslimit == crypto_pwhash_OPSLIMIT_SENSITIVE);
static_assert(kPasswordHashSensitive.memlimit == crypto_pwhash_MEMLIMIT_SENSITIVE);

bool AcceptableCost(const PasswordHashCost& cost) {
  return cost.opslimit >= kPasswordHashInteractive.opslimit &&
         cost.opslimit <= kPasswordHashSensitive.opslimit &&
         cost.memlimit >= kPasswordHashInteractive.memlimit &&
         cost.memlimit <= kPasswordHashSensitive.memlimit;
}

Result<SecretBytes<kBoxKeyBytes>> DerivePassphraseKey(
    std::span<const std::uint8_t> passphrase,
    std::span<const std::uint8_t, kPassphraseSaltBytes> salt, const PasswordHashCost& cost) {
  if (passphrase.empty() || !AcceptableCost(cost)) return Error::kInvalidArgument;
  EnsureSodium();
  SecretBytes<kBoxKeyBytes> key;
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), salt.data(), cost.opslimit,
                    static_cast<std::size_t>(cost.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::kUnavailable;  // out of memory
  }
  return key;
}

std::vector<std::uint8_t> SealBox(const SecretBytes<kBoxKeyBytes>& key,
                                  std::span<const std::uint8_t> associated,
                                  std::span<const std::uint8_t> plaintext, RandomSource& random) {
  EnsureSodium();
  std::vector<std::uint8_t> box(kBoxNonceBytes + plaintext.size() + kBoxTagBytes);
  // A random 192-bit nonce per seal: the same key seals every save of the
  // keystore, and XChaCha20's nonce is long enough to draw at random.
  random.Fill(std::span(box).first(kBoxNonceBytes));
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      box.data() + kBoxNonceBytes, &written, plaintext.data(), plaintext.size(),
      associated.data(), associated.size(), nullptr, box.data(), key.data());
  box.resize(kBoxNonceBytes + static_cast<std::size_t>(written));
  return box;
}

Result<SecretBuffer> OpenBox(const SecretBytes<kBoxKeyBytes>& key,
                             std::span<const std::uint8_t> associated,
                             std::span<const std::uint8_t> box) {
  if (box.size() < kBoxNonceBytes + kBoxTagBytes) return Error::kLimitExceeded;
  EnsureSodium();
  SecretBuffer plaintext(box.size() - kBoxNonceBytes - kBoxTagBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext.data(), &written, nullptr, box.data() + kBoxNonceBytes,
          box.size() - kBoxNonceBytes, associated.data(), associated.size(), box.data(),
          key.data()) != 0) {
    return Error::kPayload;
  }
  return plaintext;
}

}  // namespace amparo::crypto
