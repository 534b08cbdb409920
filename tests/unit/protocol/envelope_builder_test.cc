// envelope_builder_test.cc: a sealed envelope validates, opens with each
// chosen body's key to exactly the framed plaintext and with no other key,
// has the same length and stanza shapes whatever bodies were chosen, places
// its real stanzas uniformly, and every refusal of ENVELOPE.md section 7.

#include "protocol/envelope_builder.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/age_decrypt.h"
#include "crypto/age_format.h"
#include "crypto/base64.h"
#include "crypto/identities.h"
#include "protocol/envelope_validator.h"
#include "protocol/x25519_key_check.h"
#include "tests/support/byte_streams.h"
#include "tests/unit/protocol/protocol_test_support.h"

namespace amparo::protocol {
namespace {

using crypto::age::X25519Identity;
using test::AsVerified;
using test::BodyCodes;
using test::BodyIdentity;
using test::FirstBodies;
using test::kToday;
using test::SealToVector;
using test::TestContent;
using test::TestSubmission;

const AcceptancePolicy kPolicy{};

// Open decrypts the age file of an envelope with one identity.
Result<std::vector<std::uint8_t>> Open(const std::vector<std::uint8_t>& envelope,
                                       const X25519Identity& identity) {
  const std::size_t header_length = (std::size_t{envelope[4]} << 8) | envelope[5];
  SpanSource in{std::span(envelope).subspan(kFramingSize + header_length)};
  VectorSink out;
  const crypto::age::Identity* identities[] = {&identity};
  const Status status = crypto::age::Decrypt(identities, in, out);
  if (!status.ok()) return status.error();
  return out.bytes();
}

std::vector<crypto::age::Stanza> StanzasOf(const std::vector<std::uint8_t>& envelope) {
  const std::size_t header_length = (std::size_t{envelope[4]} << 8) | envelope[5];
  auto header = crypto::age::ParseHeader(
      std::span(envelope).subspan(kFramingSize + header_length, kAgeHeaderLength));
  if (!header.ok()) return {};
  return header.value().stanzas;
}

// Framed is what the plaintext must be: u32be(S) || Submission || attachments
// || zeros up to P.
std::vector<std::uint8_t> Framed(const v1::Submission& submission,
                                 const std::vector<std::vector<std::uint8_t>>& attachments,
                                 std::uint64_t padded) {
  const std::string encoded = submission.SerializeAsString();
  std::vector<std::uint8_t> out = {
      static_cast<std::uint8_t>(encoded.size() >> 24), static_cast<std::uint8_t>(encoded.size() >> 16),
      static_cast<std::uint8_t>(encoded.size() >> 8), static_cast<std::uint8_t>(encoded.size())};
  out.insert(out.end(), encoded.begin(), encoded.end());
  for (const auto& attachment : attachments) out.insert(out.end(), attachment.begin(), attachment.end());
  out.resize(static_cast<std::size_t>(padded), 0);
  return out;
}

Error SealError(const VerifiedKeyBundle& bundle, const v1::Submission& submission,
                const std::vector<std::vector<std::uint8_t>>& attachments = {}) {
  auto sealed = SealToVector(bundle, submission, 1, attachments);
  EXPECT_FALSE(sealed.ok());
  return sealed.ok() ? Error::kNotFound : sealed.error();
}

TEST(EnvelopeBuilderTest, OutputValidatesAndOpensToTheFramedPlaintext) {
  const auto bundle = AsVerified(TestContent());
  const auto bodies = FirstBodies(3);
  const std::vector<std::vector<std::uint8_t>> attachments = {amparo::test::PatternBytes(5000),
                                                               {},
                                                               amparo::test::PatternBytes(70000)};
  const std::uint64_t lengths[] = {5000, 0, 70000};
  const auto submission = TestSubmission(5, bodies, lengths);
  auto sealed = SealToVector(bundle, submission, 3, attachments);
  ASSERT_TRUE(sealed.ok());
  auto head = ValidateEnvelope(sealed.value(), kPolicy);
  ASSERT_TRUE(head.ok());
  const std::uint64_t content = 4 + submission.ByteSizeLong() + 75000;
  EXPECT_EQ(head.value().padded_length, Padme(content));
  EXPECT_EQ(head.value().key_bundle_version, 5u);
  const auto expected = Framed(submission, attachments, head.value().padded_length);
  for (std::size_t i = 0; i < 3; ++i) {
    auto plaintext = Open(sealed.value(), BodyIdentity(i));
    ASSERT_TRUE(plaintext.ok()) << i;
    EXPECT_EQ(plaintext.value(), expected) << i;
  }
  auto other = Open(sealed.value(), BodyIdentity(5));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error(), Error::kNoMatch);
}

TEST(EnvelopeBuilderTest, ShortSubmissionsPadToTheFloor) {
  auto sealed = SealToVector(AsVerified(TestContent()), TestSubmission(5, FirstBodies(1)), 4);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed.value().size(), 4995u);
  auto plaintext = Open(sealed.value(), BodyIdentity(0));
  ASSERT_TRUE(plaintext.ok());
  EXPECT_EQ(plaintext.value().size(), 4096u);
}

TEST(EnvelopeBuilderTest, SameLengthWhateverBodiesWereChosen) {
  const auto bundle = AsVerified(TestContent());
  std::set<std::size_t> sizes;
  const std::vector<std::vector<std::string>> choices = {
      {"CAT"}, {"CRC"}, {"CAT", "SPT"}, FirstBodies(5), FirstBodies(8),
      {"CMW", "CRPD", "CRC", "CESCR", "CERD", "CEDAW", "CED", "SPT"}};
  for (const auto& bodies : choices) {
    auto sealed = SealToVector(bundle, TestSubmission(5, bodies), 5);
    ASSERT_TRUE(sealed.ok());
    sizes.insert(sealed.value().size());
    ASSERT_TRUE(ValidateEnvelope(sealed.value(), kPolicy).ok());
  }
  EXPECT_EQ(sizes.size(), 1u);  // all under the 4096-byte floor
}

TEST(EnvelopeBuilderTest, StanzasCannotBeToldApartByShape) {
  const auto bundle = AsVerified(TestContent());
  for (std::size_t count : {std::size_t{1}, std::size_t{4}, std::size_t{8}}) {
    auto sealed = SealToVector(bundle, TestSubmission(5, FirstBodies(count)), 6 + count);
    ASSERT_TRUE(sealed.ok());
    const auto stanzas = StanzasOf(sealed.value());
    ASSERT_EQ(stanzas.size(), 8u);
    std::set<std::string> shares;
    for (const auto& stanza : stanzas) {
      ASSERT_EQ(stanza.args.size(), 2u);
      EXPECT_EQ(stanza.args[0], "X25519");
      EXPECT_EQ(stanza.args[1].size(), 43u);
      EXPECT_EQ(stanza.body.size(), 32u);
      auto share = crypto::DecodeBase64(stanza.args[1], crypto::Base64Padding::kNone);
      ASSERT_TRUE(share.has_value());
      // Every share, real or filler, is a canonical point of large order:
      // the public tests that would count real recipients all pass.
      EXPECT_TRUE(IsAcceptableX25519PublicKey(*share));
      EXPECT_EQ((*share)[31] & 0x80, 0);
      shares.insert(stanza.args[1]);
    }
    EXPECT_EQ(shares.size(), 8u);  // a fresh scalar for each
  }
}

TEST(EnvelopeBuilderTest, RealStanzasLandInEveryPositionWithEvenFrequency) {
  const auto bundle = AsVerified(TestContent());
  const auto cat = BodyIdentity(0);
  std::array<int, 8> hits{};
  constexpr int kRounds = 240;
  for (int round = 0; round < kRounds; ++round) {
    auto sealed = SealToVector(bundle, TestSubmission(5, FirstBodies(1)),
                               100 + static_cast<std::uint64_t>(round));
    ASSERT_TRUE(sealed.ok());
    const auto stanzas = StanzasOf(sealed.value());
    ASSERT_EQ(stanzas.size(), 8u);
    int real = 0;
    for (std::size_t i = 0; i < stanzas.size(); ++i) {
      auto key = cat.Unwrap(std::span(stanzas).subspan(i, 1));
      ASSERT_TRUE(key.ok());
      if (key.value().has_value()) {
        ++hits[i];
        ++real;
      }
    }
    EXPECT_EQ(real, 1);
  }
  // Expected 30 per position (standard deviation 5.1); the bounds are about
  // four deviations away.
  for (int count : hits) {
    EXPECT_GT(count, 10);
    EXPECT_LT(count, 51);
  }
}

TEST(EnvelopeBuilderTest, ReproducibleForAGivenRandomStream) {
  const auto bundle = AsVerified(TestContent());
  auto first = SealToVector(bundle, TestSubmission(5, FirstBodies(2)), 9);
  auto second = SealToVector(bundle, TestSubmission(5, FirstBodies(2)), 9);
  auto third = SealToVector(bundle, TestSubmission(5, FirstBodies(2)), 10);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(first.value(), second.value());
  EXPECT_NE(first.value(), third.value());
}

TEST(EnvelopeBuilderTest, BodiesAtEightAndNine) {
  const auto bundle = AsVerified(TestContent());
  auto eight = SealToVector(bundle, TestSubmission(5, FirstBodies(8)), 11);
  ASSERT_TRUE(eight.ok());
  for (std::size_t i = 0; i < 8; ++i) EXPECT_TRUE(Open(eight.value(), BodyIdentity(i)).ok()) << i;
  EXPECT_EQ(SealError(bundle, TestSubmission(5, FirstBodies(9))), Error::kInvalidArgument);
  EXPECT_EQ(SealError(bundle, TestSubmission(5, {})), Error::kInvalidArgument);
}

TEST(EnvelopeBuilderTest, RefusesBodiesItCannotSealTo) {
  const auto bundle = AsVerified(TestContent());
  const std::vector<std::string> twice = {"CAT", "CAT"};
  EXPECT_EQ(SealError(bundle, TestSubmission(5, twice)), Error::kInvalidArgument);
  const std::vector<std::string> unknown = {"IACHR"};
  EXPECT_EQ(SealError(bundle, TestSubmission(5, unknown)), Error::kInvalidArgument);
}

TEST(EnvelopeBuilderTest, RefusesAnExpiredBundle) {
  auto content = TestContent();
  content.expires_day = kToday - 1;
  EXPECT_EQ(SealError(AsVerified(content), TestSubmission(5, FirstBodies(1))),
            kExpiredKeyBundle);
}

TEST(EnvelopeBuilderTest, SubmissionMustRepeatTheBundleVersion) {
  EXPECT_EQ(SealError(AsVerified(TestContent(5)), TestSubmission(4, FirstBodies(1))),
            Error::kInvalidArgument);
}

TEST(EnvelopeBuilderTest, AttachmentsMustMatchTheManifest) {
  const auto bundle = AsVerified(TestContent());
  const std::uint64_t ten[] = {10};
  const std::vector<std::vector<std::uint8_t>> nine = {std::vector<std::uint8_t>(9, 1)};
  const std::vector<std::vector<std::uint8_t>> none;
  // Declared count differs.
  EXPECT_EQ(SealError(bundle, TestSubmission(5, FirstBodies(1), ten), none),
            Error::kInvalidArgument);
  // Declared length differs from the manifest.
  EXPECT_EQ(SealError(bundle, TestSubmission(5, FirstBodies(1), ten), nine),
            Error::kInvalidArgument);
}

TEST(EnvelopeBuilderTest, AttachmentYieldingFewerOrMoreBytesFails) {
  const auto bundle = AsVerified(TestContent());
  const std::uint64_t ten[] = {10};
  const auto submission = TestSubmission(5, FirstBodies(1), ten);
  for (std::size_t actual : {std::size_t{9}, std::size_t{11}}) {
    const std::vector<std::uint8_t> data(actual, 7);
    SpanSource source(data);
    const AttachmentStream streams[] = {{&source, 10}};
    amparo::test::DeterministicRandom random(12);
    VectorSink out;
    const Status status = SealEnvelope({bundle, kToday, submission, streams}, out, random);
    ASSERT_FALSE(status.ok()) << actual;
    EXPECT_EQ(status.error(), Error::kInvalidArgument);
  }
}

TEST(EnvelopeBuilderTest, PassesSourceAndSinkErrorsThrough) {
  const auto bundle = AsVerified(TestContent());
  const std::uint64_t lengths[] = {100000};
  const auto submission = TestSubmission(5, FirstBodies(1), lengths);
  amparo::test::FailingSource failing(5000);
  const AttachmentStream streams[] = {{&failing, 100000}};
  amparo::test::DeterministicRandom random(13);
  VectorSink out;
  const Status status = SealEnvelope({bundle, kToday, submission, streams}, out, random);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);

  amparo::test::FailingSink sink(100);
  const Status sink_status =
      SealEnvelope({bundle, kToday, TestSubmission(5, FirstBodies(1)), {}}, sink, random);
  ASSERT_FALSE(sink_status.ok());
  EXPECT_EQ(sink_status.error(), Error::kIo);
}

TEST(EnvelopeBuilderTest, AttachmentCountAtThirtyTwoAndThirtyThree) {
  const auto bundle = AsVerified(TestContent());
  for (std::size_t count : {std::size_t{32}, std::size_t{33}}) {
    const std::vector<std::uint64_t> lengths(count, 1);
    const std::vector<std::vector<std::uint8_t>> data(count, std::vector<std::uint8_t>(1, 9));
    auto sealed = SealToVector(bundle, TestSubmission(5, FirstBodies(1), lengths), 14, data);
    if (count == 32) {
      ASSERT_TRUE(sealed.ok());
      EXPECT_TRUE(ValidateEnvelope(sealed.value(), kPolicy).ok());
    } else {
      ASSERT_FALSE(sealed.ok());
      EXPECT_EQ(sealed.error(), Error::kLimitExceeded);
    }
  }
}

TEST(EnvelopeBuilderTest, SubmissionSizeAtOneMebibyteAndOneMore) {
  const auto bundle = AsVerified(TestContent());
  auto submission = TestSubmission(5, FirstBodies(1));
  submission.set_narrative("");
  const std::size_t base = submission.ByteSizeLong();
  // The narrative's tag and 3-byte length prefix add 4 bytes.
  submission.set_narrative(std::string(limits::kMaxSubmissionMessageBytes - base - 4, 'a'));
  ASSERT_EQ(submission.ByteSizeLong(), limits::kMaxSubmissionMessageBytes);
  auto at = SealToVector(bundle, submission, 15);
  ASSERT_TRUE(at.ok());
  EXPECT_TRUE(ValidateEnvelope(at.value(), kPolicy).ok());
  submission.mutable_narrative()->push_back('a');
  EXPECT_EQ(SealError(bundle, submission), Error::kLimitExceeded);
}

TEST(EnvelopeBuilderTest, ContentBeyondTheLargestBucketIsRefusedBeforeReading) {
  const auto bundle = AsVerified(TestContent());
  // Declared lengths only: sources that would fail show nothing is read.
  const std::vector<std::vector<std::uint64_t>> cases = {
      {kLargestPaddedBucket},                                  // plus 4 + S: one bucket too many
      {std::uint64_t{1} << 63, std::uint64_t{1} << 63},          // a sum that would wrap
      {~std::uint64_t{0}}};
  for (const auto& lengths : cases) {
    const auto submission = TestSubmission(5, FirstBodies(1), lengths);
    amparo::test::FailingSource never(0);
    std::vector<AttachmentStream> streams;
    for (std::uint64_t length : lengths) streams.push_back({&never, length});
    amparo::test::DeterministicRandom random(16);
    VectorSink out;
    const Status status = SealEnvelope({bundle, kToday, submission, streams}, out, random);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error(), Error::kLimitExceeded);
    EXPECT_TRUE(out.bytes().empty());
  }
}

TEST(EnvelopeBuilderTest, StreamsLargeAttachmentsFromTheirSources) {
  const auto bundle = AsVerified(TestContent());
  const std::uint64_t size = 3 * 1024 * 1024 + 17;
  const std::uint64_t lengths[] = {size};
  const auto submission = TestSubmission(5, FirstBodies(1), lengths);
  amparo::test::PatternSource pattern(size);
  const AttachmentStream streams[] = {{&pattern, size}};
  amparo::test::DeterministicRandom random(17);
  VectorSink out;
  ASSERT_TRUE(SealEnvelope({bundle, kToday, submission, streams}, out, random).ok());
  auto head = ValidateEnvelope(out.bytes(), kPolicy);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head.value().padded_length, Padme(4 + submission.ByteSizeLong() + size));
  auto plaintext = Open(out.bytes(), BodyIdentity(0));
  ASSERT_TRUE(plaintext.ok());
  const std::size_t offset = 4 + submission.ByteSizeLong();
  const auto expected = amparo::test::PatternBytes(static_cast<std::size_t>(size));
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(),
                         plaintext.value().begin() + static_cast<std::ptrdiff_t>(offset)));
  EXPECT_TRUE(std::all_of(plaintext.value().begin() + static_cast<std::ptrdiff_t>(offset + size),
                          plaintext.value().end(), [](std::uint8_t b) { return b == 0; }));
}

}  // namespace
}  // namespace amparo::protocol
