#include "protocol/acknowledgement_file.h"

#include <algorithm>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/transfer.pb.h"
#include "protocol/canonical_encoding.h"
#include "protocol/root_signed.h"
#include "protocol/unknown_fields.h"

namespace amparo::protocol {
namespace {

// ParseAcknowledgement is step 5, on bytes whose signature has verified.
Result<AcknowledgementContent> ParseAcknowledgement(std::span<const std::uint8_t> bytes) {
  v1::Acknowledgement message;
  // Counted before libprotobuf makes a string of every id.
  constexpr std::uint32_t kEnvelopeIdsField = 4;
  if (!RepeatedFieldWithin(bytes, kEnvelopeIdsField, limits::kMaxExportEntries)) {
    return Error::kMalformedTransfer;
  }
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      HasUnknownFields(message)) {
    return Error::kMalformedTransfer;
  }
  // Only the canonical encoding, so that no two readers see different
  // acknowledgements in the same signed bytes.
  if (!IsCanonicalEncoding(message, bytes)) return Error::kMalformedTransfer;
  // Counted and sized before anything is copied.
  if (static_cast<std::size_t>(message.envelope_ids_size()) > limits::kMaxExportEntries ||
      message.node_public_key().size() != crypto::kEd25519PublicKeySize) {
    return Error::kMalformedTransfer;
  }
  AcknowledgementContent content;
  const auto key = AsBytes(message.node_public_key());
  std::copy(key.begin(), key.end(), content.node_public_key.bytes.begin());
  content.export_number = message.export_number();
  content.created_day = message.created_day();
  content.envelope_ids.reserve(static_cast<std::size_t>(message.envelope_ids_size()));
  for (const std::string& id : message.envelope_ids()) {
    if (id.size() != 16) return Error::kMalformedTransfer;
    const auto id_bytes = AsBytes(id);
    std::array<std::uint8_t, 16> out{};
    std::copy(id_bytes.begin(), id_bytes.end(), out.begin());
    content.envelope_ids.push_back(out);
  }
  AMPARO_RETURN_IF_ERROR(ValidateAcknowledgement(content));
  return content;
}

}  // namespace

Status ValidateAcknowledgement(const AcknowledgementContent& content) {
  if (content.export_number < 1 || content.created_day < 0 ||
      content.created_day > limits::kMaxDay ||
      content.envelope_ids.size() > limits::kMaxExportEntries) {
    return Error::kMalformedTransfer;
  }
  constexpr std::array<std::uint8_t, 16> kZeroId{};
  if (std::find(content.envelope_ids.begin(), content.envelope_ids.end(), kZeroId) !=
      content.envelope_ids.end()) {
    return Error::kMalformedTransfer;
  }
  std::vector<std::array<std::uint8_t, 16>> sorted = content.envelope_ids;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return Error::kMalformedTransfer;
  }
  return OkStatus();
}

std::vector<std::uint8_t> EncodeAcknowledgement(const AcknowledgementContent& content) {
  v1::Acknowledgement message;
  message.set_node_public_key(std::string(AsText(content.node_public_key.bytes)));
  message.set_export_number(content.export_number);
  message.set_created_day(content.created_day);
  message.mutable_envelope_ids()->Reserve(static_cast<int>(content.envelope_ids.size()));
  for (const auto& id : content.envelope_ids) message.add_envelope_ids(std::string(AsText(id)));
  return SerializeDeterministic(message);
}

std::vector<std::uint8_t> EncodeAcknowledgementFile(
    std::span<const std::uint8_t> acknowledgement,
    std::span<const std::uint8_t, crypto::kEd25519SignatureSize> signature,
    const crypto::Ed25519PublicKey& root) {
  v1::SignedAcknowledgement message;
  message.set_acknowledgement(std::string(AsText(acknowledgement)));
  message.set_signature(std::string(AsText(signature)));
  message.set_root_public_key(std::string(AsText(root.bytes)));
  std::vector<std::uint8_t> file(kAcknowledgementFileMagic.begin(), kAcknowledgementFileMagic.end());
  file.push_back(kAcknowledgementFileVersion);
  const std::vector<std::uint8_t> body = SerializeDeterministic(message);
  file.insert(file.end(), body.begin(), body.end());
  return file;
}

Result<VerifiedAcknowledgement> VerifyAcknowledgementFile(
    std::span<const std::uint8_t> file, std::span<const crypto::Ed25519PublicKey> accepted_roots) {
  // Step 1.
  if (file.size() > limits::kMaxAcknowledgementFileBytes) return Error::kLimitExceeded;
  // Step 2.
  ByteReader reader(file);
  std::uint8_t version = 0;
  if (!reader.ConsumePrefix(kAcknowledgementFileMagic) || !reader.ReadU8(&version) ||
      version != kAcknowledgementFileVersion) {
    return Error::kMalformedTransfer;
  }
  // Steps 3 and 4: deleting envelopes is allowed by the workstation's root
  // key only.
  auto opened = OpenRootSigned(reader, accepted_roots, kAcknowledgementSignatureContext);
  if (!opened.ok()) return opened.error();
  // Step 5.
  auto content = ParseAcknowledgement(opened.value().content);
  if (!content.ok()) return content.error();
  return VerifiedAcknowledgement{std::move(content).value(), opened.value().root};
}

bool LooksLikeAcknowledgementFile(std::span<const std::uint8_t> prefix) {
  return ByteReader(prefix).StartsWith(kAcknowledgementFileMagic);
}

}  // namespace amparo::protocol
