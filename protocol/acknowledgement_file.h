#pragma once
// acknowledgement_file.h: the acknowledgement file, which the workstation
// sends back across the air gap once it has imported an export, so that the
// gateway may delete the envelopes it names (proto/ENVELOPE.md section 16.2).
// This module holds no signing key: the workstation signs
// EncodeAcknowledgement's output with the root key under
// kAcknowledgementSignatureContext and passes the signature in.
//
//   acknowledgement file = "AMPA" || 0x01 || SignedAcknowledgement  (to the end)

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/signatures.h"

namespace amparo::protocol {

// kAcknowledgementFileMagic and kAcknowledgementFileVersion open every
// acknowledgement file.
inline constexpr std::string_view kAcknowledgementFileMagic = "AMPA";
inline constexpr std::uint8_t kAcknowledgementFileVersion = 1;

// kAcknowledgementSignatureContext is the 26-byte context of an
// acknowledgement signature: "amparo/v1 acknowledgement" and a zero byte,
// signed followed by the exact Acknowledgement bytes.
inline constexpr std::string_view kAcknowledgementSignatureContext{
    "amparo/v1 acknowledgement\0", 26};
static_assert(kAcknowledgementSignatureContext.size() == 26);

// AcknowledgementContent is an Acknowledgement: what the root key signs.
struct AcknowledgementContent {
  crypto::Ed25519PublicKey node_public_key;
  std::uint64_t export_number = 0;
  std::int64_t created_day = 0;
  std::vector<std::array<std::uint8_t, 16>> envelope_ids;
  bool operator==(const AcknowledgementContent&) const = default;
};

// VerifiedAcknowledgement is an acknowledgement whose signature and bounds
// verified; signing_root is the accepted root key that signed it.
struct VerifiedAcknowledgement {
  AcknowledgementContent content;
  crypto::Ed25519PublicKey signing_root;
};

// ValidateAcknowledgement checks every bound of transfer.proto:
// export_number >= 1, created_day within 0..kMaxDay, at most
// kMaxExportEntries ids, none all zero, no two equal. kMalformedTransfer for
// the first bound broken.
Status ValidateAcknowledgement(const AcknowledgementContent& content);

// EncodeAcknowledgement returns the canonical (deterministic) encoding of
// content, the exact bytes the root key then signs. It encodes whatever it
// is given: call ValidateAcknowledgement first.
std::vector<std::uint8_t> EncodeAcknowledgement(const AcknowledgementContent& content);

// EncodeAcknowledgementFile returns the whole file: magic, version and the
// canonical SignedAcknowledgement around acknowledgement (EncodeAcknowledgement's
// output, unchanged), its signature and the root that made it. It checks
// nothing: run the result through VerifyAcknowledgementFile before sending it.
std::vector<std::uint8_t> EncodeAcknowledgementFile(
    std::span<const std::uint8_t> acknowledgement,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root);

// VerifyAcknowledgementFile verifies a whole file, borrowed for the call, in
// the order of ENVELOPE.md section 16.2; the first step that fails decides:
//  1. kLimitExceeded if longer than kMaxAcknowledgementFileBytes, unread;
//  2. kMalformedTransfer unless it starts "AMPA", 0x01;
//  3. kMalformedTransfer unless the rest is a canonical
//     SignedAcknowledgement (its three fields, once, in order, nothing else)
//     with a 64-byte signature and a 32-byte root_public_key;
//  4. kBadSignature unless root_public_key is one of accepted_roots and the
//     signature verifies over the context and the exact acknowledgement
//     bytes, which are parsed only after it does;
//  5. kMalformedTransfer unless they parse, have no unknown field, are
//     canonical and keep every bound (ValidateAcknowledgement).
// The result owns copies of everything it holds. The caller acts only on an
// acknowledgement of its own node_public_key and of an export it wrote.
Result<VerifiedAcknowledgement> VerifyAcknowledgementFile(
    std::span<const std::uint8_t> file, std::span<const crypto::Ed25519PublicKey> accepted_roots);

// LooksLikeAcknowledgementFile reports whether prefix starts with
// kAcknowledgementFileMagic: a hint for choosing a command, which verifies
// nothing.
bool LooksLikeAcknowledgementFile(std::span<const std::uint8_t> prefix);

}  // namespace amparo::protocol
