// envelope_format_test.cc: the constants of ENVELOPE.md section 15 and the
// length formulas of section 4.2.

#include "protocol/envelope_format.h"

#include <gtest/gtest.h>

namespace amparo::protocol {
namespace {

TEST(EnvelopeFormatTest, ConstantsAreThoseOfTheSpecification) {
  EXPECT_EQ(kEnvelopeMagic, "AMPE");
  EXPECT_EQ(kFramingSize, 6u);
  EXPECT_EQ(kMinHeaderLength, 1u);
  EXPECT_EQ(kMaxHeaderLength, 64u);
  EXPECT_EQ(kFormatVersion, 1u);
  EXPECT_EQ(kStanzaCount, 8u);
  EXPECT_EQ(kAgeHeaderLength, 854u);
  EXPECT_EQ(kStreamChunkSize, 65536u);
  EXPECT_EQ(kMaxEnvelopeHeadBytes, 924u);
  EXPECT_EQ(kMinPaddedLength, 4096u);
  EXPECT_EQ(limits::kMaxPaddedLength, 1073741824u);
  EXPECT_EQ(limits::kMaxEnvelopeBytes, 1074790400u);
  EXPECT_EQ(limits::kMaxSubmissionMessageBytes, 1048576u);
  EXPECT_EQ(limits::kMaxAttachments, 32u);
  EXPECT_EQ(limits::kMaxBodiesPerEnvelope, 8u);
  EXPECT_EQ(limits::kMaxSignedKeyBundleBytes, 135168u);
  EXPECT_EQ(limits::kMaxKeyBundleBytes, 131072u);
  EXPECT_EQ(limits::kMaxKeysPerBundle, 64u);
  EXPECT_EQ(limits::kMaxRevokedKeyIds, 1024u);
  EXPECT_EQ(limits::kMaxRootChainLength, 16u);
}

TEST(EnvelopeFormatTest, PayloadLengthCountsOneTagPerChunk) {
  EXPECT_EQ(ExpectedPayloadLength(4096), 16u + 4096 + 16);
  EXPECT_EQ(ExpectedPayloadLength(65536), 16u + 65536 + 16);
  EXPECT_EQ(ExpectedPayloadLength(65537), 16u + 65537 + 32);
  EXPECT_EQ(ExpectedPayloadLength(67584), 16u + 67584 + 32);
  EXPECT_EQ(ExpectedPayloadLength(520093696), 16u + 520093696 + 16 * 7936);
  EXPECT_EQ(ExpectedPayloadLength(1073741824), 16u + 1073741824 + 16 * 16384);
}

TEST(EnvelopeFormatTest, EnvelopeLengthOfTheSpecificationExamples) {
  EXPECT_EQ(ExpectedEnvelopeLength(7, 4096), 4995u);
  EXPECT_EQ(ExpectedEnvelopeLength(19, 520093696), 520221567u);
  EXPECT_EQ(ExpectedEnvelopeLength(19, 1073741824), 1074004863u);
  EXPECT_LE(ExpectedEnvelopeLength(kMaxHeaderLength, kLargestPaddedBucket),
            limits::kMaxEnvelopeBytes);
}

TEST(EnvelopeFormatTest, PayloadLengthIsStrictlyIncreasing) {
  for (std::uint64_t p = 4096; p < 4 * 65536 + 10; ++p) {
    ASSERT_LT(ExpectedPayloadLength(p), ExpectedPayloadLength(p + 1)) << p;
  }
}

}  // namespace
}  // namespace amparo::protocol
