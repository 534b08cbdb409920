#pragma once
// export_file.h: the export file, which carries envelopes from a gateway node
// across the air gap to the workstation (proto/ENVELOPE.md section 16.1): the
// signed manifest, the preamble that frames it, and the streaming of the
// envelopes after it. This module holds no signing key: the node signs
// EncodeExportManifest's output under kExportManifestSignatureContext
// elsewhere and passes the signature in.
//
//   export file = "AMPX" || 0x01 || u32be(M) || SignedExportManifest (M bytes)
//                 || envelope_0 || ... || envelope_n-1        (nothing after)

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "crypto/signatures.h"

namespace amparo::protocol {

// kExportFileMagic and kExportFileVersion open every export file.
inline constexpr std::string_view kExportFileMagic = "AMPX";
inline constexpr std::uint8_t kExportFileVersion = 1;

// kExportManifestSignatureContext is the 26-byte context of a manifest
// signature: "amparo/v1 export manifest" and a zero byte, signed followed by
// the exact ExportManifest bytes.
inline constexpr std::string_view kExportManifestSignatureContext{
    "amparo/v1 export manifest\0", 26};
static_assert(kExportManifestSignatureContext.size() == 26);

// kExportCopyBlockBytes is the most CopyExportEntry holds, reads or writes at
// once, whatever the envelope's length.
inline constexpr std::size_t kExportCopyBlockBytes = 64 * 1024;

// ExportEntryInfo is one envelope of a manifest (transfer.proto, ExportEntry).
struct ExportEntryInfo {
  std::array<std::uint8_t, 16> envelope_id{};
  std::uint64_t seq = 0;
  std::uint64_t length = 0;
  std::array<std::uint8_t, 32> sha256{};
  std::int64_t day = 0;
  bool operator==(const ExportEntryInfo&) const = default;
};

// ExportManifestContent is an ExportManifest: what the node signs.
struct ExportManifestContent {
  crypto::Ed25519PublicKey node_public_key;
  std::uint64_t export_number = 0;
  std::int64_t created_day = 0;
  std::uint64_t next_seq = 0;
  std::vector<ExportEntryInfo> entries;
  bool operator==(const ExportManifestContent&) const = default;
};

// ValidateExportManifest checks every bound of transfer.proto: export_number
// >= 1, created_day and every day within 0..kMaxDay, next_seq >= 1, at most
// kMaxExportEntries entries, ids not all zero and distinct, seqs >= 1,
// strictly increasing and below next_seq, lengths 1..kMaxEnvelopeBytes.
// kMalformedTransfer for the first bound broken. A node calls it before it
// signs; ReadExportPreamble calls it on what it reads.
Status ValidateExportManifest(const ExportManifestContent& content);

// EncodeExportManifest returns the canonical (deterministic) encoding of
// content, the exact bytes a node then signs. It encodes whatever it is
// given: call ValidateExportManifest first.
std::vector<std::uint8_t> EncodeExportManifest(const ExportManifestContent& content);

// EncodeSignedExportManifest returns the canonical SignedExportManifest
// around manifest (EncodeExportManifest's output, unchanged) and its
// signature. It checks nothing.
std::vector<std::uint8_t> EncodeSignedExportManifest(
    std::span<const std::uint8_t> manifest,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature);

// WriteExportPreamble writes the magic, the version, u32be(M) and the M bytes
// of signed_manifest (EncodeSignedExportManifest's output); the envelopes
// follow, written by the caller in manifest order. kLimitExceeded, having
// written nothing, if M is over kMaxExportManifestBytes; the sink's error if
// a write fails.
Status WriteExportPreamble(ByteSink& sink, std::span<const std::uint8_t> signed_manifest);

// ReadExportPreamble reads exactly the preamble of an export file from
// source, nothing past it, and verifies it in the order of ENVELOPE.md
// section 16.1; the first step that fails decides the error:
//  1. kMalformedTransfer unless it starts "AMPX", 0x01; kLimitExceeded,
//     before reading further, if M is over kMaxExportManifestBytes;
//     kMalformedTransfer if the source ends within the M bytes;
//  2. kMalformedTransfer unless those bytes are a canonical
//     SignedExportManifest (both fields, once, in order, nothing else) with a
//     64-byte signature, around a manifest that starts with its 32-byte
//     node_public_key (which canonical encoding puts first): only that key
//     is read before step 3;
//  3. kBadSignature unless that key is one of pinned_nodes and the signature
//     verifies over the context and the exact manifest bytes;
//  4. kMalformedTransfer unless the manifest parses, has no unknown field,
//     is canonical and keeps every bound (ValidateExportManifest).
// A failing read of source returns its error (kIo). The caller then copies
// each entry with CopyExportEntry, calls ExpectEndOfExport, and refuses an
// export_number it has already imported from this node (a replay).
Result<ExportManifestContent> ReadExportPreamble(
    ByteSource& source, std::span<const crypto::Ed25519PublicKey> pinned_nodes);

// CopyExportEntry streams the next entry.length bytes of source to sink,
// kExportCopyBlockBytes at most at a time, and checks their SHA-256 against
// entry.sha256: kMalformedTransfer if source ends first, kBadSignature if the
// digest differs (the manifest's signed digest is what authenticates the
// envelope), the error of a failing read or write, kInvalidArgument for a
// length ReadExportPreamble never returns (0 or over kMaxEnvelopeBytes).
// The sink receives bytes before the digest is known: unless this returns
// ok, the caller MUST discard everything written to it for this entry.
Status CopyExportEntry(ByteSource& source, const ExportEntryInfo& entry, ByteSink& sink);

// ExpectEndOfExport succeeds if source has no byte left; kMalformedTransfer
// if it has (trailing bytes are an error), or the error of a failing read.
Status ExpectEndOfExport(ByteSource& source);

// LooksLikeExportFile reports whether prefix starts with kExportFileMagic: a
// hint for choosing a command, which verifies nothing.
bool LooksLikeExportFile(std::span<const std::uint8_t> prefix);

}  // namespace amparo::protocol
