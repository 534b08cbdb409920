#pragma once
// protocol_test_support.h: fixtures shared by the protocol tests: receiving
// bodies with deterministic key pairs, a key bundle naming them, Submissions,
// sealing to a vector, and assembling envelopes from parts.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "crypto/identities.h"
#include "proto/submission.pb.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "protocol/key_bundle.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol::test {

using amparo::test::DeterministicRandom;

// kToday is the day every fixture is valid on (2024-10-04).
inline constexpr std::int64_t kToday = 20000;

// kBodyCodes are nine bodies: one more than an envelope may be sealed to.
inline const std::vector<std::string>& BodyCodes() {
  static const std::vector<std::string> codes = {"CAT",  "SPT",   "CED", "CEDAW", "CERD",
                                                 "CESCR", "CRC", "CRPD", "CMW"};
  return codes;
}

// IdentityFor returns the deterministic X25519 key pair of a seed.
inline crypto::age::X25519Identity IdentityFor(std::uint64_t seed) {
  DeterministicRandom random(seed);
  return crypto::age::X25519Identity::Generate(random);
}

// BodyIdentity is the secret key of body i of BodyCodes() in TestBundle.
inline crypto::age::X25519Identity BodyIdentity(std::size_t i) { return IdentityFor(1000 + i); }

// TestContent is a bundle with one key per body of BodyCodes().
inline KeyBundleContent TestContent(std::uint64_t version = 5) {
  KeyBundleContent content;
  content.version = version;
  content.issued_day = kToday - 10;
  content.expires_day = kToday + 30;
  content.lowest_accepted_version = 1;
  for (std::size_t i = 0; i < BodyCodes().size(); ++i) {
    RecipientKeyEntry key;
    key.key_id = BodyCodes()[i] + "-2024";
    key.body = BodyCodes()[i];
    key.label = "Committee " + BodyCodes()[i];
    key.public_key = BodyIdentity(i).PublicKey();
    key.valid_from_day = kToday - 100;
    key.valid_until_day = kToday + 365;
    content.keys.push_back(key);
  }
  return content;
}

inline VerifiedKeyBundle AsVerified(KeyBundleContent content) {
  VerifiedKeyBundle bundle;
  bundle.content = std::move(content);
  return bundle;
}

// TestSubmission is a minimal Submission to `bodies`, with a manifest entry
// per attachment length.
inline v1::Submission TestSubmission(std::uint64_t bundle_version,
                                     std::span<const std::string> bodies,
                                     std::span<const std::uint64_t> attachment_lengths = {}) {
  v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(bundle_version);
  submission.set_language("es");
  for (const std::string& body : bodies) submission.add_bodies(body);
  submission.set_narrative("Fui detenida al volver de Ginebra.");
  for (std::size_t i = 0; i < attachment_lengths.size(); ++i) {
    v1::Attachment* attachment = submission.add_attachments();
    attachment->set_file_name("file-" + std::to_string(i) + ".pdf");
    attachment->set_media_type("application/pdf");
    attachment->set_length(attachment_lengths[i]);
    attachment->set_sha256(std::string(32, '\0'));
  }
  return submission;
}

// FirstBodies returns the first n body codes.
inline std::vector<std::string> FirstBodies(std::size_t n) {
  return {BodyCodes().begin(), BodyCodes().begin() + static_cast<std::ptrdiff_t>(n)};
}

// SealToVector seals a Submission (and attachment bytes) with a
// deterministic random source.
inline Result<std::vector<std::uint8_t>> SealToVector(
    const VerifiedKeyBundle& bundle, const v1::Submission& submission, std::uint64_t seed,
    const std::vector<std::vector<std::uint8_t>>& attachments = {}) {
  std::vector<SpanSource> sources;
  sources.reserve(attachments.size());
  std::vector<AttachmentStream> streams;
  for (const auto& data : attachments) {
    sources.emplace_back(data);
    streams.push_back({&sources.back(), data.size()});
  }
  DeterministicRandom random(seed);
  VectorSink out;
  const SealRequest request{bundle, kToday, submission, streams};
  const Status status = SealEnvelope(request, out, random);
  if (!status.ok()) return status.error();
  return out.bytes();
}

// SealedTestEnvelope is a valid envelope to the first `bodies` bodies.
inline std::vector<std::uint8_t> SealedTestEnvelope(std::size_t bodies = 1,
                                                    std::uint64_t seed = 1) {
  const auto chosen = FirstBodies(bodies);
  auto sealed = SealToVector(AsVerified(TestContent()), TestSubmission(5, chosen), seed);
  if (!sealed.ok()) std::abort();
  return sealed.value();
}

// HeaderBytes returns the canonical header of format 1 and the given values.
inline std::vector<std::uint8_t> HeaderBytes(std::uint64_t bundle_version,
                                             std::uint64_t padded_length) {
  auto header = EncodeEnvelopeHeader({kFormatVersion, bundle_version, padded_length});
  if (!header.ok()) std::abort();
  return header.value();
}

// AgeHeaderOf returns the 854-byte age header of a valid envelope.
inline std::vector<std::uint8_t> AgeHeaderOf(const std::vector<std::uint8_t>& envelope) {
  const std::size_t length = (std::size_t{envelope[4]} << 8) | envelope[5];
  const auto begin = envelope.begin() + static_cast<std::ptrdiff_t>(kFramingSize + length);
  return {begin, begin + static_cast<std::ptrdiff_t>(kAgeHeaderLength)};
}

// Frame assembles "AMPE" || u16be(declared L) || header || age header ||
// payload_size zero bytes. The validator never reads the payload.
inline std::vector<std::uint8_t> Frame(std::span<const std::uint8_t> header,
                                       std::span<const std::uint8_t> age_header,
                                       std::uint64_t payload_size, std::size_t declared_length) {
  std::vector<std::uint8_t> out(kEnvelopeMagic.begin(), kEnvelopeMagic.end());
  out.push_back(static_cast<std::uint8_t>(declared_length >> 8));
  out.push_back(static_cast<std::uint8_t>(declared_length));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), age_header.begin(), age_header.end());
  out.resize(out.size() + static_cast<std::size_t>(payload_size), 0);
  return out;
}

// Frame with L = header.size() and the exact payload length P implies.
inline std::vector<std::uint8_t> Frame(std::span<const std::uint8_t> header,
                                       std::span<const std::uint8_t> age_header,
                                       std::uint64_t padded_length) {
  return Frame(header, age_header, ExpectedPayloadLength(padded_length), header.size());
}

}  // namespace amparo::protocol::test
