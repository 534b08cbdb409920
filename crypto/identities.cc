#include "crypto/identities.h"

#include <sodium.h>

#include <algorithm>

#include "common/key_file.h"
#include "crypto/base64.h"
#include "crypto/bech32.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

// OpenFileKey decrypts a wrapped file key; nullopt if the tag does not verify.
// The body length was checked before any cryptography, as age requires, to
// deny partitioning oracles.
std::optional<FileKey> OpenFileKey(const SecretBytes<32>& wrap_key,
                                   std::span<const std::uint8_t> body) {
  FileKey file_key;
  const std::array<std::uint8_t, 12> zero_nonce{};
  unsigned long long length = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(file_key.data(), &length, nullptr, body.data(),
                                                body.size(), nullptr, 0, zero_nonce.data(),
                                                wrap_key.data()) != 0) {
    return std::nullopt;
  }
  return file_key;
}

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> DecodeFixed(std::string_view text) {
  auto bytes = DecodeBase64(text, Base64Padding::kNone);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace

X25519Identity X25519Identity::Generate(RandomSource& random) {
  X25519Identity identity;
  random.Fill(identity.secret_.span());
  return identity;
}

X25519Identity X25519Identity::FromSecret(std::span<const std::uint8_t, 32> secret) {
  X25519Identity identity;
  std::copy(secret.begin(), secret.end(), identity.secret_.data());
  return identity;
}

Result<X25519Identity> X25519Identity::Parse(std::string_view text) {
  // age writes secret keys in upper case only.
  if (std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return Error::kInvalidKey;
  }
  auto decoded = DecodeBech32(text);
  if (!decoded) return Error::kInvalidKey;
  const bool valid = decoded->hrp == kIdentityHrp && decoded->data.size() == 32;
  X25519Identity identity;
  if (valid) std::copy(decoded->data.begin(), decoded->data.end(), identity.secret_.data());
  Wipe(decoded->data);
  if (!valid) return Error::kInvalidKey;
  return identity;
}

SecretBuffer X25519Identity::EncodeSecret() const {
  std::string text = EncodeBech32(kIdentityHrp, secret_.span(), Bech32Case::kUpper);
  SecretBuffer out(text.size());
  std::copy(text.begin(), text.end(), out.data());
  Wipe({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  return out;
}

X25519PublicKey X25519Identity::PublicKey() const {
  EnsureSodium();
  X25519PublicKey key;
  crypto_scalarmult_base(key.bytes.data(), secret_.data());
  return key;
}

Result<std::optional<FileKey>> X25519Identity::Unwrap(std::span<const Stanza> stanzas) const {
  EnsureSodium();
  const X25519PublicKey public_key = PublicKey();
  for (const Stanza& stanza : stanzas) {
    if (stanza.args.empty() || stanza.args[0] != "X25519") continue;
    if (stanza.args.size() != 2) return Error::kHeader;
    const auto share = DecodeFixed<32>(stanza.args[1]);
    if (!share || stanza.body.size() != kWrappedFileKeySize) return Error::kHeader;
    SecretBytes<32> shared;
    // crypto_scalarmult fails on an all-zero result (a low-order share).
    if (crypto_scalarmult(shared.data(), secret_.data(), share->data()) != 0) {
      return Error::kHeader;
    }
    const auto wrap_key = X25519WrapKey(shared.span(), *share, public_key.bytes);
    auto file_key = OpenFileKey(wrap_key, stanza.body);
    if (file_key) return file_key;
  }
  return std::optional<FileKey>();
}

ScryptIdentity::ScryptIdentity(SecretBuffer passphrase, int max_log_n)
    : passphrase_(std::move(passphrase)),
      max_log_n_(std::min(max_log_n, limits::kMaxScryptLogN)) {}

Result<int> ParseScryptWorkFactor(std::string_view text, int max_log_n) {
  if (text.empty() || text.size() > 2 || text[0] < '1' || text[0] > '9') return Error::kHeader;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Error::kHeader;
    value = value * 10 + (c - '0');
  }
  if (value > max_log_n) return Error::kHeader;
  return value;
}

Result<std::optional<FileKey>> ScryptIdentity::Unwrap(std::span<const Stanza> stanzas) const {
  const auto is_scrypt = [](const Stanza& s) { return !s.args.empty() && s.args[0] == "scrypt"; };
  const auto it = std::find_if(stanzas.begin(), stanzas.end(), is_scrypt);
  if (it == stanzas.end()) return std::optional<FileKey>();
  // A passphrase-protected file must hold nothing but its scrypt stanza, so
  // that opening it with the passphrase means it was made with it.
  if (stanzas.size() != 1) return Error::kHeader;
  const Stanza& stanza = *it;
  if (stanza.args.size() != 3) return Error::kHeader;
  const auto salt = DecodeFixed<16>(stanza.args[1]);
  if (!salt) return Error::kHeader;
  auto log_n = ParseScryptWorkFactor(stanza.args[2], max_log_n_);
  if (!log_n.ok()) return log_n.error();
  if (stanza.body.size() != kWrappedFileKeySize) return Error::kHeader;
  auto wrap_key = ScryptWrapKey(passphrase_.span(), *salt, log_n.value());
  if (!wrap_key.ok()) return Error::kHeader;
  return OpenFileKey(wrap_key.value(), stanza.body);
}

Result<std::vector<X25519Identity>> ParseIdentityFile(std::string_view content) {
  std::vector<X25519Identity> identities;
  for (std::string_view line : KeyFileEntries(content)) {
    auto identity = X25519Identity::Parse(line);
    if (!identity.ok()) return identity.error();
    identities.push_back(std::move(identity).value());
  }
  if (identities.empty()) return Error::kInvalidKey;
  return identities;
}

}  // namespace amparo::crypto::age
