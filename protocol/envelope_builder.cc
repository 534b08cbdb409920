#include "protocol/envelope_builder.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/age_encrypt.h"
#include "crypto/recipients.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "protocol/filler_recipient.h"
#include "protocol/key_selection.h"
#include "protocol/padme.h"
#include "protocol/shuffle.h"

namespace amparo::protocol {
namespace {

// CheckManifest holds the attachment streams to the Submission's manifest.
Status CheckManifest(const v1::Submission& submission,
                     std::span<const AttachmentStream> attachments) {
  if (static_cast<std::size_t>(submission.attachments_size()) > limits::kMaxAttachments) {
    return Error::kLimitExceeded;
  }
  if (static_cast<std::size_t>(submission.attachments_size()) != attachments.size()) {
    return Error::kInvalidArgument;
  }
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    if (attachments[i].source == nullptr ||
        attachments[i].length != submission.attachments(static_cast<int>(i)).length()) {
      return Error::kInvalidArgument;
    }
  }
  return OkStatus();
}

Result<std::vector<std::uint8_t>> SerializeSubmission(const v1::Submission& submission) {
  if (submission.ByteSizeLong() > limits::kMaxSubmissionMessageBytes) {
    return Error::kLimitExceeded;
  }
  std::string encoded;
  if (!submission.SerializeToString(&encoded)) return Error::kInvalidArgument;
  const auto bytes = AsBytes(encoded);
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace

Status SealEnvelope(const SealRequest& request, ByteSink& out, crypto::RandomSource& random) {
  const v1::Submission& submission = request.submission;
  const std::vector<std::string> bodies(submission.bodies().begin(), submission.bodies().end());
  auto keys = SelectKeysForBodies(request.bundle, bodies, request.today);
  if (!keys.ok()) return keys.error();
  // The workstation compares the two to detect a header altered in storage.
  if (submission.key_bundle_version() != request.bundle.content.version) {
    return Error::kInvalidArgument;
  }
  AMPARO_RETURN_IF_ERROR(CheckManifest(submission, request.attachments));
  auto submission_bytes = SerializeSubmission(submission);
  if (!submission_bytes.ok()) return submission_bytes.error();
  auto content_length = FramedContentLength(submission_bytes.value().size(), request.attachments);
  if (!content_length.ok()) return content_length.error();
  auto padded_length = PaddedLength(content_length.value());
  if (!padded_length.ok()) return padded_length.error();

  EnvelopeHeaderFields fields;
  fields.format_version = kFormatVersion;
  fields.key_bundle_version = request.bundle.content.version;
  fields.padded_length = padded_length.value();
  auto header = EncodeEnvelopeHeader(fields);
  if (!header.ok()) return header.error();

  // One real stanza per body, fillers up to the fixed count, then a uniform
  // shuffle: neither the count nor the positions of real stanzas show.
  std::vector<crypto::age::X25519Recipient> real;
  real.reserve(keys.value().size());
  for (const RecipientKeyEntry& key : keys.value()) real.emplace_back(key.public_key);
  const FillerRecipient filler;
  std::array<const crypto::age::Recipient*, kStanzaCount> recipients{};
  for (std::size_t i = 0; i < kStanzaCount; ++i) {
    recipients[i] = i < real.size() ? static_cast<const crypto::age::Recipient*>(&real[i])
                                    : static_cast<const crypto::age::Recipient*>(&filler);
  }
  Shuffle(std::span(recipients), random);

  std::vector<std::uint8_t> framing(kEnvelopeMagic.begin(), kEnvelopeMagic.end());
  framing.push_back(static_cast<std::uint8_t>(header.value().size() >> 8));
  framing.push_back(static_cast<std::uint8_t>(header.value().size()));
  framing.insert(framing.end(), header.value().begin(), header.value().end());
  AMPARO_RETURN_IF_ERROR(out.Write(framing));

  FramedPlaintextSource plaintext(submission_bytes.value(), request.attachments,
                                  padded_length.value());
  return crypto::age::Encrypt(recipients, plaintext, out, random);
}

}  // namespace amparo::protocol
