// acknowledgement_file_test.cc: acknowledgement files round-trip; every
// failure of ENVELOPE.md section 16.2 is refused with its error and in its
// order; the file size and the id count hold at N and N + 1.

#include "protocol/acknowledgement_file.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/signing_key.h"
#include "proto/transfer.pb.h"
#include "protocol/export_file.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

using crypto::SigningKey;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kToday = 20000;

SigningKey KeyOf(std::uint64_t seed) {
  amparo::test::DeterministicRandom random(seed);
  return SigningKey::Generate(random);
}

std::array<std::uint8_t, 16> IdOf(std::uint64_t n) {
  std::array<std::uint8_t, 16> id{};
  for (std::size_t i = 0; i < 8; ++i) id[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

Bytes LengthDelimited(std::uint8_t tag, std::span<const std::uint8_t> bytes) {
  Bytes out = {tag};
  for (std::uint64_t n = bytes.size();; n >>= 7) {
    if (n < 0x80) {
      out.push_back(static_cast<std::uint8_t>(n));
      break;
    }
    out.push_back(static_cast<std::uint8_t>((n & 0x7f) | 0x80));
  }
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes WithMagic(const Bytes& body) { return Concat({{'A', 'M', 'P', 'A', 1}, body}); }

Error ErrorOf(const Result<VerifiedAcknowledgement>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

class AcknowledgementFileTest : public ::testing::Test {
 protected:
  AcknowledgementContent Content(std::size_t ids = 3) const {
    AcknowledgementContent content;
    content.node_public_key = node_.public_key();
    content.export_number = 7;
    content.created_day = kToday;
    for (std::size_t i = 0; i < ids; ++i) content.envelope_ids.push_back(IdOf(100 + i));
    return content;
  }

  Bytes SignBytes(std::span<const std::uint8_t> acknowledgement, const SigningKey& root,
                  std::string_view context = kAcknowledgementSignatureContext) const {
    return EncodeAcknowledgementFile(acknowledgement, root.Sign(context, acknowledgement),
                                     root.public_key());
  }

  Bytes Sign(const AcknowledgementContent& content, const SigningKey& root) const {
    return SignBytes(EncodeAcknowledgement(content), root);
  }

  Result<VerifiedAcknowledgement> Verify(std::span<const std::uint8_t> file) const {
    const crypto::Ed25519PublicKey roots[] = {root_.public_key()};
    return VerifyAcknowledgementFile(file, roots);
  }

  const SigningKey root_ = KeyOf(11);
  const SigningKey other_root_ = KeyOf(12);
  const SigningKey node_ = KeyOf(13);
};

TEST_F(AcknowledgementFileTest, ConstantsAreThoseOfTheSpecification) {
  EXPECT_EQ(kAcknowledgementSignatureContext, std::string_view("amparo/v1 acknowledgement\0", 26));
  EXPECT_EQ(kAcknowledgementFileMagic, "AMPA");
  EXPECT_EQ(kAcknowledgementFileVersion, 1);
}

TEST_F(AcknowledgementFileTest, RoundTrips) {
  for (const std::size_t ids : {0u, 1u, 3u}) {
    const AcknowledgementContent content = Content(ids);
    const Bytes file = Sign(content, root_);
    const crypto::Ed25519PublicKey roots[] = {other_root_.public_key(), root_.public_key()};
    auto verified = VerifyAcknowledgementFile(file, roots);
    ASSERT_TRUE(verified.ok()) << ids;
    EXPECT_EQ(verified.value().content, content);
    EXPECT_EQ(verified.value().signing_root, root_.public_key());
  }
}

TEST_F(AcknowledgementFileTest, EncodingIsCanonical) {
  const AcknowledgementContent content = Content();
  const Bytes acknowledgement = EncodeAcknowledgement(content);
  EXPECT_EQ(acknowledgement, EncodeAcknowledgement(content));
  v1::Acknowledgement parsed;
  ASSERT_TRUE(parsed.ParseFromArray(acknowledgement.data(), static_cast<int>(acknowledgement.size())));
  EXPECT_EQ(parsed.envelope_ids_size(), 3);
  const auto signature = root_.Sign(kAcknowledgementSignatureContext, acknowledgement);
  EXPECT_EQ(EncodeAcknowledgementFile(acknowledgement, signature, root_.public_key()),
            WithMagic(Concat({LengthDelimited(0x0a, acknowledgement), LengthDelimited(0x12, signature),
                              LengthDelimited(0x1a, root_.public_key().bytes)})));
}

TEST_F(AcknowledgementFileTest, LooksLikeChecksTheMagicOnly) {
  EXPECT_TRUE(LooksLikeAcknowledgementFile(Sign(Content(), root_)));
  EXPECT_TRUE(LooksLikeAcknowledgementFile(AsBytes("AMPA")));
  EXPECT_FALSE(LooksLikeAcknowledgementFile(AsBytes("AMP")));
  EXPECT_FALSE(LooksLikeAcknowledgementFile(AsBytes("AMPX\x01")));
  EXPECT_FALSE(LooksLikeAcknowledgementFile({}));
  EXPECT_FALSE(LooksLikeExportFile(Sign(Content(), root_)));
}

// --- Steps 1 and 2: size and framing ---------------------------------------------

TEST_F(AcknowledgementFileTest, FileSizeAtNAndNPlusOne) {
  // A canonical file of exactly N bytes from an accepted root, with a wrong
  // signature: it reaches step 4. One byte more is refused unread.
  const auto file_of_size = [&](std::size_t size) {
    const std::size_t overhead = 5 + (1 + 4) + 66 + 34;
    const Bytes acknowledgement(size - overhead, 0);
    const std::array<std::uint8_t, 64> signature{};
    Bytes file = EncodeAcknowledgementFile(acknowledgement, signature, root_.public_key());
    EXPECT_EQ(file.size(), size);
    return file;
  };
  EXPECT_EQ(ErrorOf(Verify(file_of_size(limits::kMaxAcknowledgementFileBytes))),
            Error::kBadSignature);
  EXPECT_EQ(ErrorOf(Verify(file_of_size(limits::kMaxAcknowledgementFileBytes + 1))),
            Error::kLimitExceeded);
}

TEST_F(AcknowledgementFileTest, BadFramingIsMalformed) {
  const Bytes file = Sign(Content(), root_);
  for (const std::size_t at : {0u, 1u, 2u, 3u}) {
    Bytes bad = file;
    bad[at] ^= 0x20;
    EXPECT_EQ(ErrorOf(Verify(bad)), Error::kMalformedTransfer) << at;
  }
  for (const std::uint8_t version : std::initializer_list<std::uint8_t>{0, 2, 0xff}) {
    Bytes bad = file;
    bad[4] = version;
    EXPECT_EQ(ErrorOf(Verify(bad)), Error::kMalformedTransfer);
  }
  for (std::size_t size = 0; size < file.size(); ++size) {
    EXPECT_EQ(ErrorOf(Verify(std::span(file).first(size))), Error::kMalformedTransfer) << size;
  }
  Bytes trailing = file;
  trailing.push_back(0);
  EXPECT_EQ(ErrorOf(Verify(trailing)), Error::kMalformedTransfer);
}

TEST_F(AcknowledgementFileTest, AnExportFileIsNotAnAcknowledgement) {
  ExportManifestContent manifest;
  manifest.node_public_key = node_.public_key();
  manifest.export_number = 1;
  manifest.next_seq = 1;
  const Bytes bytes = EncodeExportManifest(manifest);
  VectorSink sink;
  ASSERT_TRUE(WriteExportPreamble(sink, EncodeSignedExportManifest(
                                            bytes, node_.Sign(kExportManifestSignatureContext, bytes)))
                  .ok());
  EXPECT_EQ(ErrorOf(Verify(sink.bytes())), Error::kMalformedTransfer);
}

// --- Step 3: the signed wrapper, canonical ------------------------------------------

TEST_F(AcknowledgementFileTest, SignedWrapperMustBeCanonical) {
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  const auto signature = root_.Sign(kAcknowledgementSignatureContext, acknowledgement);
  const Bytes ack_field = LengthDelimited(0x0a, acknowledgement);
  const Bytes signature_field = LengthDelimited(0x12, signature);
  const Bytes root_field = LengthDelimited(0x1a, root_.public_key().bytes);
  ASSERT_TRUE(Verify(WithMagic(Concat({ack_field, signature_field, root_field}))).ok());

  Bytes non_minimal = {0x0a, static_cast<std::uint8_t>(acknowledgement.size() | 0x80), 0x00};
  ASSERT_LT(acknowledgement.size(), 0x80u);
  non_minimal.insert(non_minimal.end(), acknowledgement.begin(), acknowledgement.end());
  const std::array<std::uint8_t, 63> short_signature{};
  const std::vector<Bytes> refused = {
      Concat({ack_field, signature_field, root_field, {0x78, 0x01}}),  // unknown field 15
      Concat({ack_field, signature_field, root_field, {0x22, 0x00}}),  // unknown field 4
      Concat({ack_field, root_field, signature_field}),                // out of order
      Concat({ack_field, signature_field, root_field, root_field}),    // field twice
      Concat({non_minimal, signature_field, root_field}),
      Concat({ack_field, signature_field}),                            // no root
      Concat({ack_field, LengthDelimited(0x12, short_signature), root_field}),
      Concat({ack_field, signature_field,
              LengthDelimited(0x1a, std::span(root_.public_key().bytes).first(31))}),
      Concat({LengthDelimited(0x0a, {}), signature_field, root_field}),
      Bytes{},
  };
  for (std::size_t i = 0; i < refused.size(); ++i) {
    EXPECT_EQ(ErrorOf(Verify(WithMagic(refused[i]))), Error::kMalformedTransfer) << i;
  }
}

// --- Step 4: the accepted root and its signature -------------------------------------

TEST_F(AcknowledgementFileTest, RootMustBeAccepted) {
  const Bytes file = Sign(Content(), other_root_);
  EXPECT_EQ(ErrorOf(Verify(file)), Error::kBadSignature);
  EXPECT_EQ(ErrorOf(VerifyAcknowledgementFile(Sign(Content(), root_), {})), Error::kBadSignature);
  // Naming the accepted root while another key signed.
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  const Bytes forged = EncodeAcknowledgementFile(
      acknowledgement, other_root_.Sign(kAcknowledgementSignatureContext, acknowledgement),
      root_.public_key());
  EXPECT_EQ(ErrorOf(Verify(forged)), Error::kBadSignature);
  // The node's key is no root.
  EXPECT_EQ(ErrorOf(Verify(Sign(Content(), node_))), Error::kBadSignature);
}

TEST_F(AcknowledgementFileTest, FlippedSignatureOrAcknowledgementBitIsRefused) {
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  const auto signature = root_.Sign(kAcknowledgementSignatureContext, acknowledgement);
  for (std::size_t bit = 0; bit < 8 * signature.size(); bit += 37) {
    auto flipped = signature;
    flipped[bit / 8] = static_cast<std::uint8_t>(flipped[bit / 8] ^ (1u << (bit % 8)));
    EXPECT_EQ(ErrorOf(Verify(EncodeAcknowledgementFile(acknowledgement, flipped, root_.public_key()))),
              Error::kBadSignature);
  }
  for (std::size_t at = 0; at < acknowledgement.size(); ++at) {
    Bytes tampered = acknowledgement;
    tampered[at] ^= 0x01;
    EXPECT_EQ(ErrorOf(Verify(EncodeAcknowledgementFile(tampered, signature, root_.public_key()))),
              Error::kBadSignature)
        << at;
  }
}

TEST_F(AcknowledgementFileTest, OtherContextsAreRefused) {
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  for (const std::string_view context :
       {std::string_view("amparo/v1 acknowledgement"), std::string_view(""),
        kExportManifestSignatureContext, std::string_view("amparo/v1 key bundle\0", 21)}) {
    EXPECT_EQ(ErrorOf(Verify(SignBytes(acknowledgement, root_, context))), Error::kBadSignature);
  }
}

// --- Step 5: the signed content -----------------------------------------------------

TEST_F(AcknowledgementFileTest, EveryBoundOfTheContentIsChecked) {
  ASSERT_TRUE(ValidateAcknowledgement(Content()).ok());
  const std::vector<std::pair<std::string, void (*)(AcknowledgementContent&)>> breaks = {
      {"duplicate id", [](AcknowledgementContent& c) { c.envelope_ids[2] = c.envelope_ids[0]; }},
      {"zero id", [](AcknowledgementContent& c) { c.envelope_ids[1] = {}; }},
      {"export number zero", [](AcknowledgementContent& c) { c.export_number = 0; }},
      {"created day negative", [](AcknowledgementContent& c) { c.created_day = -1; }},
      {"created day over", [](AcknowledgementContent& c) { c.created_day = limits::kMaxDay + 1; }},
  };
  for (const auto& [name, apply] : breaks) {
    AcknowledgementContent content = Content();
    apply(content);
    EXPECT_EQ(ValidateAcknowledgement(content).error(), Error::kMalformedTransfer) << name;
    EXPECT_EQ(ErrorOf(Verify(Sign(content, root_))), Error::kMalformedTransfer) << name;
  }
  AcknowledgementContent extremes = Content();
  extremes.created_day = limits::kMaxDay;
  extremes.export_number = std::numeric_limits<std::uint64_t>::max();
  EXPECT_TRUE(Verify(Sign(extremes, root_)).ok());
  extremes.created_day = 0;
  EXPECT_TRUE(Verify(Sign(extremes, root_)).ok());
}

TEST_F(AcknowledgementFileTest, SignedBytesThatAreNotACanonicalAcknowledgementAreRefused) {
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  const auto refused = [&](const Bytes& bytes) { return ErrorOf(Verify(SignBytes(bytes, root_))); };
  EXPECT_EQ(refused(Concat({acknowledgement, {0x78, 0x01}})), Error::kMalformedTransfer);
  // A second node key: libprotobuf would keep the second.
  EXPECT_EQ(refused(Concat({acknowledgement, LengthDelimited(0x0a, root_.public_key().bytes)})),
            Error::kMalformedTransfer);
  EXPECT_EQ(refused(Concat({acknowledgement, {0x18, 0x00}})), Error::kMalformedTransfer);
  // Ids of 15 and 17 bytes, and a key of 31.
  for (const std::size_t size : {15u, 17u}) {
    const Bytes id(size, 0x01);
    EXPECT_EQ(refused(Concat({acknowledgement, LengthDelimited(0x22, id)})), Error::kMalformedTransfer);
  }
  v1::Acknowledgement message;
  ASSERT_TRUE(message.ParseFromArray(acknowledgement.data(), static_cast<int>(acknowledgement.size())));
  message.set_node_public_key(std::string(31, '\x01'));
  const std::string short_key = message.SerializeAsString();
  EXPECT_EQ(refused(Bytes(short_key.begin(), short_key.end())), Error::kMalformedTransfer);
  EXPECT_EQ(refused(Bytes{0xff, 0xff}), Error::kMalformedTransfer);
}

TEST_F(AcknowledgementFileTest, IdsAtTheLimitAndOneMore) {
  // At their largest, kMaxExportEntries ids make a file of exactly the size
  // limits.h counts, within kMaxAcknowledgementFileBytes.
  AcknowledgementContent content = Content(0);
  content.export_number = std::numeric_limits<std::uint64_t>::max();
  content.created_day = limits::kMaxDay;
  for (std::size_t i = 0; i < limits::kMaxExportEntries; ++i) {
    content.envelope_ids.push_back(IdOf(i + 1));
  }
  const Bytes at = Sign(content, root_);
  EXPECT_EQ(at.size(), 18000160u);
  EXPECT_LE(at.size(), limits::kMaxAcknowledgementFileBytes);
  auto verified = Verify(at);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().content.envelope_ids.size(), limits::kMaxExportEntries);

  content.envelope_ids.push_back(IdOf(limits::kMaxExportEntries + 1));
  EXPECT_EQ(ValidateAcknowledgement(content).error(), Error::kMalformedTransfer);
  EXPECT_EQ(ErrorOf(Verify(Sign(content, root_))), Error::kMalformedTransfer);
}

// --- The order of the steps -------------------------------------------------------

TEST_F(AcknowledgementFileTest, TheFirstFailingStepDecides) {
  AcknowledgementContent bad_content = Content();
  bad_content.envelope_ids[1] = {};

  // Steps 1 and 2: too long and a bad magic.
  Bytes oversized(limits::kMaxAcknowledgementFileBytes + 1, 0);
  EXPECT_EQ(ErrorOf(Verify(oversized)), Error::kLimitExceeded);

  // Steps 2 and 4: a bad version on a stranger's file.
  Bytes bad_version = Sign(Content(), other_root_);
  bad_version[4] = 2;
  EXPECT_EQ(ErrorOf(Verify(bad_version)), Error::kMalformedTransfer);

  // Steps 3 and 4: an unknown wrapper field on a stranger's file.
  const Bytes acknowledgement = EncodeAcknowledgement(Content());
  const Bytes stranger_body = Concat(
      {LengthDelimited(0x0a, acknowledgement),
       LengthDelimited(0x12, other_root_.Sign(kAcknowledgementSignatureContext, acknowledgement)),
       LengthDelimited(0x1a, other_root_.public_key().bytes)});
  EXPECT_EQ(ErrorOf(Verify(WithMagic(stranger_body))), Error::kBadSignature);
  EXPECT_EQ(ErrorOf(Verify(WithMagic(Concat({stranger_body, {0x78, 0x01}})))),
            Error::kMalformedTransfer);

  // Steps 4 and 5: bad content from a stranger, or under a wrong signature.
  EXPECT_EQ(ErrorOf(Verify(Sign(bad_content, root_))), Error::kMalformedTransfer);
  EXPECT_EQ(ErrorOf(Verify(Sign(bad_content, other_root_))), Error::kBadSignature);
  const Bytes bad_bytes = EncodeAcknowledgement(bad_content);
  auto wrong = root_.Sign(kAcknowledgementSignatureContext, bad_bytes);
  wrong[3] ^= 0x10;
  EXPECT_EQ(ErrorOf(Verify(EncodeAcknowledgementFile(bad_bytes, wrong, root_.public_key()))),
            Error::kBadSignature);
}

}  // namespace
}  // namespace amparo::protocol
