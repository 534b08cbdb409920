#include "crypto/signatures.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "crypto/secret.h"
#include "crypto/sodium.h"

namespace amparo::crypto {
namespace {

std::vector<std::uint8_t> Concatenate(std::string_view context,
                                      std::span<const std::uint8_t> message) {
  std::vector<std::uint8_t> out(context.size() + message.size());
  std::copy(context.begin(), context.end(), out.begin());
  std::copy(message.begin(), message.end(),
            out.begin() + static_cast<std::ptrdiff_t>(context.size()));
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKeyFrom(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kEd25519PublicKeySize) return Error::kInvalidKey;
  Ed25519PublicKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes.begin());
  return key;
}

bool VerifySignature(const Ed25519PublicKey& key, std::string_view context,
                     std::span<const std::uint8_t> message,
                     std::span<const std::uint8_t> signature) {
  EnsureSodium();
  if (signature.size() != kEd25519SignatureSize) return false;
  const auto signed_bytes = Concatenate(context, message);
  return crypto_sign_ed25519_verify_detached(signature.data(), signed_bytes.data(),
                                             signed_bytes.size(), key.bytes.data()) == 0;
}

std::array<std::uint8_t, 32> Sha256(std::span<const std::uint8_t> data) {
  EnsureSodium();
  std::array<std::uint8_t, 32> digest{};
  static const std::uint8_t kEmpty = 0;
  crypto_hash_sha256(digest.data(), data.empty() ? &kEmpty : data.data(), data.size());
  return digest;
}

struct Sha256Hasher::State {
  crypto_hash_sha256_state sodium;
};

Sha256Hasher::Sha256Hasher() : state_(std::make_unique<State>()) {
  EnsureSodium();
  crypto_hash_sha256_init(&state_->sodium);
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(std::span<const std::uint8_t> data) {
  if (finished_) std::abort();
  if (data.empty()) return;
  crypto_hash_sha256_update(&state_->sodium, data.data(), data.size());
}

std::array<std::uint8_t, 32> Sha256Hasher::Finish() {
  if (finished_) std::abort();
  finished_ = true;
  std::array<std::uint8_t, 32> digest{};
  crypto_hash_sha256_final(&state_->sodium, digest.data());
  return digest;
}

std::string Fingerprint(const Ed25519PublicKey& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto digest = Sha256(key.bytes);
  std::string out;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += '-';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Result<std::array<std::uint8_t, 32>> ParseFingerprint(std::string_view text) {
  std::array<std::uint8_t, 32> out{};
  std::size_t nibbles = 0;
  for (char c : text) {
    if (c == '-') continue;
    const int value = HexValue(c);
    if (value < 0 || nibbles == 64) return Error::kInvalidKey;
    out[nibbles / 2] = static_cast<std::uint8_t>(out[nibbles / 2] | (value << (nibbles % 2 == 0 ? 4 : 0)));
    ++nibbles;
  }
  if (nibbles != 64) return Error::kInvalidKey;
  return out;
}

bool MatchesFingerprint(const Ed25519PublicKey& key, std::span<const std::uint8_t, 32> pinned) {
  const auto digest = Sha256(key.bytes);
  return ConstantTimeEqual(digest, pinned);
}

}  // namespace amparo::crypto
