#include "crypto/recipients.h"

#include <sodium.h>

#include "common/key_file.h"
#include "crypto/base64.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

// SealFileKey encrypts the file key under a single-use wrap key, so the
// all-zero nonce that age specifies is safe.
std::vector<std::uint8_t> SealFileKey(const SecretBytes<32>& wrap_key, const FileKey& file_key) {
  std::vector<std::uint8_t> body(kWrappedFileKeySize);
  const std::array<std::uint8_t, 12> zero_nonce{};
  unsigned long long length = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), &length, file_key.data(),
                                            file_key.size(), nullptr, 0, nullptr,
                                            zero_nonce.data(), wrap_key.data());
  return body;
}

}  // namespace

Result<Stanza> X25519Recipient::Wrap(const FileKey& file_key, RandomSource& random) const {
  EnsureSodium();
  SecretBytes<32> ephemeral;
  random.Fill(ephemeral.span());
  std::array<std::uint8_t, 32> share{};
  crypto_scalarmult_base(share.data(), ephemeral.data());
  SecretBytes<32> shared;
  if (crypto_scalarmult(shared.data(), ephemeral.data(), key_.bytes.data()) != 0) {
    return Error::kInvalidKey;  // a low-order recipient key: refuse to wrap
  }
  const auto wrap_key = X25519WrapKey(shared.span(), share, key_.bytes);
  Stanza stanza;
  stanza.args = {"X25519", EncodeBase64(share, Base64Padding::kNone)};
  stanza.body = SealFileKey(wrap_key, file_key);
  return stanza;
}

Result<Stanza> ScryptRecipient::Wrap(const FileKey& file_key, RandomSource& random) const {
  std::array<std::uint8_t, 16> salt{};
  random.Fill(salt);
  auto wrap_key = ScryptWrapKey(passphrase_.span(), salt, log_n_);
  if (!wrap_key.ok()) return wrap_key.error();
  Stanza stanza;
  stanza.args = {"scrypt", EncodeBase64(salt, Base64Padding::kNone), std::to_string(log_n_)};
  stanza.body = SealFileKey(wrap_key.value(), file_key);
  return stanza;
}

Result<std::vector<X25519PublicKey>> ParseRecipientsFile(std::string_view content) {
  std::vector<X25519PublicKey> keys;
  for (std::string_view line : KeyFileEntries(content)) {
    auto key = ParseRecipient(line);
    if (!key.ok()) return key.error();
    keys.push_back(key.value());
  }
  return keys;
}

}  // namespace amparo::crypto::age
