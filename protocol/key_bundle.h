#pragma once
// key_bundle.h: verification of signed key bundles (proto/ENVELOPE.md
// section 9) and the encoding of the signed form. Signing itself happens on
// the workstation, which calls SigningKey::Sign with the contexts below; this
// module never holds a signing key.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/signatures.h"
#include "protocol/key_bundle_content.h"

namespace amparo::protocol {

// kKeyBundleSignatureContext is the 21-byte context of a bundle signature:
// "amparo/v1 key bundle" and a zero byte, signed followed by the exact
// KeyBundle bytes.
inline constexpr std::string_view kKeyBundleSignatureContext{"amparo/v1 key bundle\0", 21};
static_assert(kKeyBundleSignatureContext.size() == 21);

// kRootEndorsementSignatureContext is the 27-byte context of a root
// endorsement, signed followed by the 32-byte new root public key.
inline constexpr std::string_view kRootEndorsementSignatureContext{"amparo/v1 root endorsement\0",
                                                                   27};
static_assert(kRootEndorsementSignatureContext.size() == 27);

// RootEndorsementEntry is one root rotation: the previous root's signature
// over the new root's key.
struct RootEndorsementEntry {
  crypto::Ed25519PublicKey new_root;
  std::array<std::uint8_t, crypto::kEd25519SignatureSize> signature{};
};

// VerifiedKeyBundle is a bundle whose signature, chain and bounds verified.
// signing_root is the root key that signed it, the newest root its chain
// reached; key_bundle_sha256 identifies its exact signed bytes.
struct VerifiedKeyBundle {
  KeyBundleContent content;
  crypto::Ed25519PublicKey signing_root;
  std::array<std::uint8_t, 32> key_bundle_sha256{};
};

// AcceptedKeyBundle is what a verifier remembers of the last bundle it
// accepted, to refuse rollbacks (section 9.3, step 6).
struct AcceptedKeyBundle {
  std::uint64_t version = 0;
  std::array<std::uint8_t, 32> key_bundle_sha256{};
  std::uint64_t lowest_accepted_version = 0;
};

// AcceptedStateOf returns what to remember of a bundle just accepted.
AcceptedKeyBundle AcceptedStateOf(const VerifiedKeyBundle& bundle);

// VerifyKeyBundle verifies SignedKeyBundle bytes, borrowed for the call,
// against a pinned root key, in the order of section 9.3:
//  1. kLimitExceeded if longer than kMaxSignedKeyBundleBytes, unparsed;
//  2. kInvalidKeyBundle if they do not parse, hold an unknown field, or a
//     field has the wrong size or count;
//  3. kBadSignature unless root_public_key is the pinned root or is reached
//     from it through root_chain, each endorsement verifying;
//  4. kBadSignature unless the signature verifies over the context and the
//     exact key_bundle bytes, which are parsed only after it does;
//  5. kInvalidKeyBundle if they break a bound (ValidateKeyBundleContent);
//  6. kKeyBundleRollback if last_accepted is given and the version is lower,
//     or equal with other bytes, or lowest_accepted_version went down; the
//     same version with the same bytes verifies and changes nothing;
//  7. kExpiredKeyBundle if expires_day is before today.
// The result owns copies of everything it holds.
Result<VerifiedKeyBundle> VerifyKeyBundle(
    std::span<const std::uint8_t> signed_bundle_bytes, const crypto::Ed25519PublicKey& pinned_root,
    std::int64_t today, const std::optional<AcceptedKeyBundle>& last_accepted = std::nullopt);

// VerifyKeyBundle, given only the fingerprint (SHA-256) of the pinned root,
// first finds that root's key in the message: root_public_key, else
// first_root_public_key, else the first root_chain entry that endorses it.
// Found, it verifies exactly as the overload above; not found, kBadSignature.
// A root known only by its fingerprint can therefore be followed through
// every later rotation.
Result<VerifiedKeyBundle> VerifyKeyBundle(
    std::span<const std::uint8_t> signed_bundle_bytes,
    std::span<const std::uint8_t, 32> pinned_root_fingerprint, std::int64_t today,
    const std::optional<AcceptedKeyBundle>& last_accepted = std::nullopt);

// EncodeSignedKeyBundle returns the deterministic encoding of a
// SignedKeyBundle around bundle_bytes (EncodeKeyBundle's output, unchanged),
// their signature under kKeyBundleSignatureContext, the signing root and the
// chain from the first root, oldest first, and (if the chain is not empty)
// the first root's key. It checks nothing: the result should be run through
// VerifyKeyBundle before it is published.
std::vector<std::uint8_t> EncodeSignedKeyBundle(
    std::span<const std::uint8_t> bundle_bytes,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root_public_key,
    std::span<const RootEndorsementEntry> chain,
    const std::optional<crypto::Ed25519PublicKey>& first_root = std::nullopt);

}  // namespace amparo::protocol
