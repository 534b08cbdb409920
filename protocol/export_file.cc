#include "protocol/export_file.h"

#include <algorithm>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/transfer.pb.h"
#include "protocol/canonical_encoding.h"
#include "protocol/unknown_fields.h"

namespace amparo::protocol {
namespace {

// kFramingBytes: magic, version, u32be(M).
constexpr std::size_t kFramingBytes = 4 + 1 + 4;
// Field 1 and field 2, length-delimited: the tags of SignedExportManifest's
// manifest and signature, and of ExportManifest's node_public_key.
constexpr std::uint8_t kField1Tag = 0x0a;
constexpr std::uint8_t kField2Tag = 0x12;

template <std::size_t N>
std::array<std::uint8_t, N> ArrayFrom(std::string_view bytes) {
  std::array<std::uint8_t, N> out{};
  const auto span = AsBytes(bytes);
  std::copy(span.begin(), span.end(), out.begin());
  return out;
}

// ReadExactly reads n bytes, growing the buffer only as they arrive, so that
// a short file declaring a large M costs only the memory of what it holds.
Result<std::vector<std::uint8_t>> ReadExactly(ByteSource& source, std::size_t n) {
  std::vector<std::uint8_t> out;
  while (out.size() < n) {
    const std::size_t have = out.size();
    const std::size_t step = std::min(n - have, kExportCopyBlockBytes);
    out.resize(have + step);
    auto got = ReadFull(source, std::span(out).subspan(have));
    if (!got.ok()) return got.error();
    if (got.value() != step) return Error::kMalformedTransfer;
  }
  return out;
}

// SignedManifest is step 2's result: views into the preamble's bytes.
struct SignedManifest {
  std::span<const std::uint8_t> manifest;
  std::span<const std::uint8_t> signature;
  crypto::Ed25519PublicKey node_public_key;
};

// ParseSignedManifest is step 2. It is a hand-written reader of the one
// canonical form rather than libprotobuf, which would first turn up to 96 MiB
// of unsigned bytes into tens of millions of unknown fields or empty entries
// (gigabytes): nothing is allocated here, and of the manifest only its first
// field is read.
Result<SignedManifest> ParseSignedManifest(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  SignedManifest parts;
  if (!ReadLengthDelimited(reader, kField1Tag, &parts.manifest) ||
      !ReadLengthDelimited(reader, kField2Tag, &parts.signature) || !reader.empty() ||
      parts.signature.size() != crypto::kEd25519SignatureSize) {
    return Error::kMalformedTransfer;
  }
  ByteReader manifest(parts.manifest);
  std::span<const std::uint8_t> key;
  if (!ReadLengthDelimited(manifest, kField1Tag, &key) ||
      key.size() != crypto::kEd25519PublicKeySize) {
    return Error::kMalformedTransfer;
  }
  std::copy(key.begin(), key.end(), parts.node_public_key.bytes.begin());
  return parts;
}

// ParseManifest is step 4, on bytes whose signature has verified.
Result<ExportManifestContent> ParseManifest(std::span<const std::uint8_t> bytes) {
  v1::ExportManifest message;
  // Counted before libprotobuf makes an object of every entry.
  constexpr std::uint32_t kEntriesField = 5;
  if (!RepeatedFieldWithin(bytes, kEntriesField, limits::kMaxExportEntries)) {
    return Error::kMalformedTransfer;
  }
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      HasUnknownFields(message)) {
    return Error::kMalformedTransfer;
  }
  // Only the canonical encoding: libprotobuf also takes a field given twice
  // (the last one wins), so the bytes could name another signer than the one
  // step 2 read at their front.
  if (!IsCanonicalEncoding(message, bytes)) return Error::kMalformedTransfer;
  // Counted and sized before anything is copied.
  if (static_cast<std::size_t>(message.entries_size()) > limits::kMaxExportEntries ||
      message.node_public_key().size() != crypto::kEd25519PublicKeySize) {
    return Error::kMalformedTransfer;
  }
  ExportManifestContent content;
  content.node_public_key.bytes = ArrayFrom<crypto::kEd25519PublicKeySize>(message.node_public_key());
  content.export_number = message.export_number();
  content.created_day = message.created_day();
  content.next_seq = message.next_seq();
  content.entries.reserve(static_cast<std::size_t>(message.entries_size()));
  for (const v1::ExportEntry& entry : message.entries()) {
    if (entry.envelope_id().size() != 16 || entry.sha256().size() != 32) {
      return Error::kMalformedTransfer;
    }
    content.entries.push_back({ArrayFrom<16>(entry.envelope_id()), entry.seq(), entry.length(),
                               ArrayFrom<32>(entry.sha256()), entry.day()});
  }
  AMPARO_RETURN_IF_ERROR(ValidateExportManifest(content));
  return content;
}

}  // namespace

Status ValidateExportManifest(const ExportManifestContent& content) {
  if (content.export_number < 1 || !limits::IsDayInRange(content.created_day) ||
      content.next_seq < 1 || content.entries.size() > limits::kMaxExportEntries) {
    return Error::kMalformedTransfer;
  }
  constexpr std::array<std::uint8_t, 16> kZeroId{};
  std::uint64_t previous_seq = 0;
  std::vector<std::array<std::uint8_t, 16>> ids;
  ids.reserve(content.entries.size());
  for (const ExportEntryInfo& entry : content.entries) {
    if (entry.envelope_id == kZeroId || entry.seq <= previous_seq ||
        entry.seq >= content.next_seq || entry.length < 1 ||
        entry.length > limits::kMaxEnvelopeBytes || !limits::IsDayInRange(entry.day)) {
      return Error::kMalformedTransfer;
    }
    previous_seq = entry.seq;
    ids.push_back(entry.envelope_id);
  }
  // One id twice would let one envelope's bytes be imported under two seqs.
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) return Error::kMalformedTransfer;
  return OkStatus();
}

std::vector<std::uint8_t> EncodeExportManifest(const ExportManifestContent& content) {
  v1::ExportManifest message;
  message.set_node_public_key(std::string(AsText(content.node_public_key.bytes)));
  message.set_export_number(content.export_number);
  message.set_created_day(content.created_day);
  message.set_next_seq(content.next_seq);
  message.mutable_entries()->Reserve(static_cast<int>(content.entries.size()));
  for (const ExportEntryInfo& entry : content.entries) {
    v1::ExportEntry* out = message.add_entries();
    out->set_envelope_id(std::string(AsText(entry.envelope_id)));
    out->set_seq(entry.seq);
    out->set_length(entry.length);
    out->set_sha256(std::string(AsText(entry.sha256)));
    out->set_day(entry.day);
  }
  return SerializeDeterministic(message);
}

std::vector<std::uint8_t> EncodeSignedExportManifest(
    std::span<const std::uint8_t> manifest,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature) {
  v1::SignedExportManifest message;
  message.set_manifest(std::string(AsText(manifest)));
  message.set_signature(std::string(AsText(signature)));
  return SerializeDeterministic(message);
}

Status WriteExportPreamble(ByteSink& sink, std::span<const std::uint8_t> signed_manifest) {
  if (signed_manifest.size() > limits::kMaxExportManifestBytes) return Error::kLimitExceeded;
  const auto m = static_cast<std::uint32_t>(signed_manifest.size());
  const std::array<std::uint8_t, kFramingBytes> framing = {
      'A', 'M', 'P', 'X', kExportFileVersion,
      static_cast<std::uint8_t>(m >> 24), static_cast<std::uint8_t>(m >> 16),
      static_cast<std::uint8_t>(m >> 8), static_cast<std::uint8_t>(m)};
  AMPARO_RETURN_IF_ERROR(sink.Write(framing));
  return sink.Write(signed_manifest);
}

Result<ExportManifestContent> ReadExportPreamble(
    ByteSource& source, std::span<const crypto::Ed25519PublicKey> pinned_nodes) {
  // Step 1: framing, the length checked before any of it is read.
  std::array<std::uint8_t, kFramingBytes> framing{};
  auto got = ReadFull(source, framing);
  if (!got.ok()) return got.error();
  ByteReader reader(std::span<const std::uint8_t>(framing).first(got.value()));
  std::uint8_t version = 0;
  if (!reader.ConsumePrefix(kExportFileMagic) || !reader.ReadU8(&version) ||
      version != kExportFileVersion || reader.remaining() != 4) {
    return Error::kMalformedTransfer;
  }
  std::uint32_t m = 0;
  for (const std::uint8_t byte : reader.rest()) m = (m << 8) | byte;
  if (m > limits::kMaxExportManifestBytes) return Error::kLimitExceeded;
  auto preamble = ReadExactly(source, m);
  if (!preamble.ok()) return preamble.error();

  // Step 2.
  auto parts = ParseSignedManifest(preamble.value());
  if (!parts.ok()) return parts.error();
  const SignedManifest& signed_manifest = parts.value();

  // Step 3: the manifest claims its signer; only a pinned node may be it.
  if (std::find(pinned_nodes.begin(), pinned_nodes.end(), signed_manifest.node_public_key) ==
      pinned_nodes.end()) {
    return Error::kBadSignature;
  }
  if (!crypto::VerifySignature(signed_manifest.node_public_key, kExportManifestSignatureContext,
                               signed_manifest.manifest, signed_manifest.signature)) {
    return Error::kBadSignature;
  }

  // Step 4.
  auto content = ParseManifest(signed_manifest.manifest);
  if (!content.ok()) return content.error();
  // Implied by canonical encoding; checked anyway, as it is the signer.
  if (content.value().node_public_key != signed_manifest.node_public_key) {
    return Error::kMalformedTransfer;
  }
  return content;
}

Status CopyExportEntry(ByteSource& source, const ExportEntryInfo& entry, ByteSink& sink) {
  if (entry.length < 1 || entry.length > limits::kMaxEnvelopeBytes) return Error::kInvalidArgument;
  std::vector<std::uint8_t> block(
      static_cast<std::size_t>(std::min<std::uint64_t>(entry.length, kExportCopyBlockBytes)));
  crypto::Sha256Hasher hasher;
  for (std::uint64_t left = entry.length; left > 0;) {
    const auto want =
        std::span(block).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size())));
    auto got = ReadFull(source, want);
    if (!got.ok()) return got.error();
    if (got.value() != want.size()) return Error::kMalformedTransfer;
    hasher.Update(want);
    AMPARO_RETURN_IF_ERROR(sink.Write(want));
    left -= want.size();
  }
  // The envelope's bytes are authenticated by the digest the node signed.
  if (hasher.Finish() != entry.sha256) return Error::kBadSignature;
  return OkStatus();
}

Status ExpectEndOfExport(ByteSource& source) {
  std::array<std::uint8_t, 1> probe{};
  auto got = source.Read(probe);
  if (!got.ok()) return got.error();
  if (got.value() != 0) return Error::kMalformedTransfer;
  return OkStatus();
}

bool LooksLikeExportFile(std::span<const std::uint8_t> prefix) {
  return ByteReader(prefix).StartsWith(kExportFileMagic);
}

}  // namespace amparo::protocol
