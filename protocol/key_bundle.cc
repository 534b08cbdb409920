#include "protocol/key_bundle.h"

#include <algorithm>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/key_bundle.pb.h"
#include "protocol/canonical_encoding.h"
#include "protocol/unknown_fields.h"

namespace amparo::protocol {
namespace {

// SignedParts is a SignedKeyBundle whose sizes and counts checked out.
struct SignedParts {
  v1::SignedKeyBundle message;
  crypto::Ed25519PublicKey root_public_key;
  std::vector<RootEndorsementEntry> chain;
};

crypto::Ed25519PublicKey KeyFrom(std::string_view bytes) {
  crypto::Ed25519PublicKey key;
  const auto span = AsBytes(bytes);
  std::copy(span.begin(), span.end(), key.bytes.begin());
  return key;
}

// ParseSigned is steps 1 and 2 of section 9.3.
Result<SignedParts> ParseSigned(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > limits::kMaxSignedKeyBundleBytes) return Error::kLimitExceeded;
  SignedParts parts;
  v1::SignedKeyBundle& message = parts.message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      HasUnknownFields(message)) {
    return kInvalidKeyBundle;
  }
  if (message.key_bundle().empty() || message.key_bundle().size() > limits::kMaxKeyBundleBytes ||
      message.signature().size() != crypto::kEd25519SignatureSize ||
      message.root_public_key().size() != crypto::kEd25519PublicKeySize ||
      static_cast<std::size_t>(message.root_chain_size()) > limits::kMaxRootChainLength) {
    return kInvalidKeyBundle;
  }
  const std::size_t first_root_size = message.first_root_public_key().size();
  if (first_root_size != 0 &&
      (first_root_size != crypto::kEd25519PublicKeySize || message.root_chain().empty())) {
    return kInvalidKeyBundle;
  }
  for (const v1::RootEndorsement& endorsement : message.root_chain()) {
    if (endorsement.new_root_public_key().size() != crypto::kEd25519PublicKeySize ||
        endorsement.signature().size() != crypto::kEd25519SignatureSize) {
      return kInvalidKeyBundle;
    }
    RootEndorsementEntry entry;
    entry.new_root = KeyFrom(endorsement.new_root_public_key());
    const auto signature = AsBytes(endorsement.signature());
    std::copy(signature.begin(), signature.end(), entry.signature.begin());
    parts.chain.push_back(entry);
  }
  parts.root_public_key = KeyFrom(message.root_public_key());
  return parts;
}

// ReachesSigningRoot is step 3: the chain from the pinned root R to the key
// that signed. It starts after the first entry endorsing R, or at entry 0 if
// none does (R is then the first root), and every later entry must verify
// under its predecessor.
bool ReachesSigningRoot(const SignedParts& parts, const crypto::Ed25519PublicKey& pinned) {
  if (parts.root_public_key == pinned) return true;
  const auto endorses_pinned = std::find_if(
      parts.chain.begin(), parts.chain.end(),
      [&](const RootEndorsementEntry& entry) { return entry.new_root == pinned; });
  auto next = endorses_pinned == parts.chain.end() ? parts.chain.begin() : endorses_pinned + 1;
  crypto::Ed25519PublicKey current = pinned;
  for (; next != parts.chain.end(); ++next) {
    if (!crypto::VerifySignature(current, kRootEndorsementSignatureContext, next->new_root.bytes,
                                 next->signature)) {
      return false;
    }
    current = next->new_root;
  }
  return current == parts.root_public_key;
}

// IsRollback is step 6.
bool IsRollback(const KeyBundleContent& content, const std::array<std::uint8_t, 32>& sha256,
                const AcceptedKeyBundle& last) {
  if (content.version < last.version) return true;
  if (content.version == last.version && sha256 != last.key_bundle_sha256) return true;
  // Lowering it would let envelopes sealed to revoked keys in again.
  return content.lowest_accepted_version < last.lowest_accepted_version;
}

// VerifyFromStep3 runs steps 3 to 7 once the pinned root's key is known.
Result<VerifiedKeyBundle> VerifyFromStep3(const SignedParts& parts,
                                          const crypto::Ed25519PublicKey& pinned,
                                          std::int64_t today,
                                          const std::optional<AcceptedKeyBundle>& last_accepted) {
  if (!ReachesSigningRoot(parts, pinned)) return Error::kBadSignature;
  // The signature covers the exact bytes received; nothing is parsed before.
  const auto key_bundle = AsBytes(parts.message.key_bundle());
  if (!crypto::VerifySignature(parts.root_public_key, kKeyBundleSignatureContext, key_bundle,
                               AsBytes(parts.message.signature()))) {
    return Error::kBadSignature;
  }
  auto content = ParseKeyBundle(key_bundle);
  if (!content.ok()) return content.error();
  VerifiedKeyBundle verified;
  verified.content = std::move(content).value();
  verified.signing_root = parts.root_public_key;
  verified.key_bundle_sha256 = crypto::Sha256(key_bundle);
  if (last_accepted && IsRollback(verified.content, verified.key_bundle_sha256, *last_accepted)) {
    return Error::kKeyBundleRollback;
  }
  if (verified.content.expires_day < today) return kExpiredKeyBundle;
  return verified;
}

}  // namespace

AcceptedKeyBundle AcceptedStateOf(const VerifiedKeyBundle& bundle) {
  AcceptedKeyBundle state;
  state.version = bundle.content.version;
  state.key_bundle_sha256 = bundle.key_bundle_sha256;
  state.lowest_accepted_version = bundle.content.lowest_accepted_version;
  return state;
}

Result<VerifiedKeyBundle> VerifyKeyBundle(std::span<const std::uint8_t> signed_bundle_bytes,
                                          const crypto::Ed25519PublicKey& pinned_root,
                                          std::int64_t today,
                                          const std::optional<AcceptedKeyBundle>& last_accepted) {
  auto parts = ParseSigned(signed_bundle_bytes);
  if (!parts.ok()) return parts.error();
  return VerifyFromStep3(parts.value(), pinned_root, today, last_accepted);
}

Result<VerifiedKeyBundle> VerifyKeyBundle(std::span<const std::uint8_t> signed_bundle_bytes,
                                          std::span<const std::uint8_t, 32> pinned_root_fingerprint,
                                          std::int64_t today,
                                          const std::optional<AcceptedKeyBundle>& last_accepted) {
  auto parts = ParseSigned(signed_bundle_bytes);
  if (!parts.ok()) return parts.error();
  const SignedParts& signed_parts = parts.value();
  const auto matches = [&](const crypto::Ed25519PublicKey& key) {
    return crypto::MatchesFingerprint(key, pinned_root_fingerprint);
  };
  if (matches(signed_parts.root_public_key)) {
    return VerifyFromStep3(signed_parts, signed_parts.root_public_key, today, last_accepted);
  }
  if (!signed_parts.message.first_root_public_key().empty()) {
    const auto first_root = KeyFrom(signed_parts.message.first_root_public_key());
    if (matches(first_root)) return VerifyFromStep3(signed_parts, first_root, today, last_accepted);
  }
  for (const RootEndorsementEntry& entry : signed_parts.chain) {
    if (matches(entry.new_root)) {
      return VerifyFromStep3(signed_parts, entry.new_root, today, last_accepted);
    }
  }
  return Error::kBadSignature;
}

std::vector<std::uint8_t> EncodeSignedKeyBundle(
    std::span<const std::uint8_t> bundle_bytes,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root_public_key,
    std::span<const RootEndorsementEntry> chain,
    const std::optional<crypto::Ed25519PublicKey>& first_root) {
  v1::SignedKeyBundle message;
  if (first_root && !chain.empty()) {
    message.set_first_root_public_key(std::string(AsText(first_root->bytes)));
  }
  message.set_key_bundle(std::string(AsText(bundle_bytes)));
  message.set_signature(std::string(AsText(signature)));
  message.set_root_public_key(std::string(AsText(root_public_key.bytes)));
  for (const RootEndorsementEntry& entry : chain) {
    v1::RootEndorsement* out = message.add_root_chain();
    out->set_new_root_public_key(std::string(AsText(entry.new_root.bytes)));
    out->set_signature(std::string(AsText(entry.signature)));
  }
  return SerializeDeterministic(message);
}

}  // namespace amparo::protocol
