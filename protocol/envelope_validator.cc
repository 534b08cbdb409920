#include "protocol/envelope_validator.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "crypto/age_format.h"
#include "crypto/base64.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "protocol/padme.h"

namespace amparo::protocol {
namespace {

// IsEncoded32Bytes reports whether text is the canonical unpadded base64 of
// exactly 32 bytes.
bool IsEncoded32Bytes(std::string_view text) {
  if (text.size() != kBase64Of32Bytes) return false;
  const auto decoded = crypto::DecodeBase64(text, crypto::Base64Padding::kNone);
  return decoded && decoded->size() == 32;
}

// HasEnvelopeStanzaShape is step 8 for one stanza. It parses, never unwraps:
// the gateway holds no key and every stanza must look alike.
bool HasEnvelopeStanzaShape(const crypto::age::Stanza& stanza) {
  return stanza.args.size() == 2 && stanza.args[0] == kStanzaType &&
         IsEncoded32Bytes(stanza.args[1]) && stanza.body.size() == kStanzaBodySize;
}

// IsEnvelopeAgeHeader is step 8: exactly the 854-byte shape of section 4.1.
// ParseHeader accepts canonical encodings only (LF endings, canonical base64,
// 64-column body lines, nothing after the MAC line).
bool IsEnvelopeAgeHeader(std::span<const std::uint8_t> encoded) {
  const auto header = crypto::age::ParseHeader(encoded);
  if (!header.ok()) return false;
  const auto& stanzas = header.value().stanzas;
  return stanzas.size() == kStanzaCount &&
         std::all_of(stanzas.begin(), stanzas.end(), HasEnvelopeStanzaShape);
}

}  // namespace

Result<EnvelopeHead> ValidateEnvelopeHead(std::span<const std::uint8_t> head,
                                          const AcceptancePolicy& policy,
                                          std::optional<std::uint64_t> declared_total_length) {
  // Step 0: the transport's ceiling, before anything is read.
  if (declared_total_length && *declared_total_length > limits::kMaxEnvelopeBytes) {
    return Error::kLimitExceeded;
  }

  // Steps 1 and 2: magic and header length.
  ByteReader reader(head);
  std::span<const std::uint8_t> length_field;
  if (!reader.ConsumePrefix(kEnvelopeMagic) ||
      !reader.ReadBytes(kHeaderLengthFieldSize, &length_field)) {
    return Error::kMalformedEnvelope;
  }
  const std::size_t header_length =
      (std::size_t{length_field[0]} << 8) | std::size_t{length_field[1]};
  std::span<const std::uint8_t> header_bytes;
  if (header_length < kMinHeaderLength || header_length > kMaxHeaderLength ||
      !reader.ReadBytes(header_length, &header_bytes)) {
    return Error::kMalformedEnvelope;
  }

  // Steps 3 and 4: format version, then canonical encoding.
  auto header = ParseEnvelopeHeader(header_bytes);
  if (!header.ok()) return header.error();
  const EnvelopeHeaderFields& fields = header.value();

  // Step 5: revocation is a lower bound only; newer versions pass, since the
  // nodes of a deployment learn a new bundle at different moments.
  if (fields.key_bundle_version < policy.lowest_accepted_bundle_version) {
    return Error::kStaleKeyBundle;
  }
  // Step 6: configuration may lower the ceiling, never raise it.
  const std::uint64_t max_padded =
      std::min(policy.max_padded_length, limits::kMaxPaddedLength);
  if (fields.padded_length > max_padded) return Error::kLimitExceeded;
  // Step 7.
  if (!IsPadmeBucket(fields.padded_length)) return Error::kPaddedLengthNotBucket;

  // Between steps 7 and 8: a declared length is checked before any payload
  // byte is read, so a wrong upload fails early.
  const std::uint64_t total_length = ExpectedEnvelopeLength(header_length, fields.padded_length);
  if (declared_total_length && *declared_total_length != total_length) {
    return Error::kLengthMismatch;
  }

  // Step 8: the age header's shape.
  std::span<const std::uint8_t> age_header;
  if (!reader.ReadBytes(kAgeHeaderLength, &age_header)) return Error::kLengthMismatch;
  if (!IsEnvelopeAgeHeader(age_header)) return Error::kMalformedEnvelope;

  EnvelopeHead result;
  result.format_version = fields.format_version;
  result.key_bundle_version = fields.key_bundle_version;
  result.padded_length = fields.padded_length;
  result.head_length = kFramingSize + header_length + kAgeHeaderLength;
  result.total_length = total_length;
  return result;
}

Result<EnvelopeHead> ValidateEnvelope(std::span<const std::uint8_t> whole,
                                      const AcceptancePolicy& policy) {
  if (whole.size() > limits::kMaxEnvelopeBytes) return Error::kLimitExceeded;
  auto head = ValidateEnvelopeHead(whole, policy);
  if (!head.ok()) return head.error();
  // Step 9.
  if (whole.size() != head.value().total_length) return Error::kLengthMismatch;
  return head;
}

}  // namespace amparo::protocol
