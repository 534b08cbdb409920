// padme_test.cc: Padmé matches the table of ENVELOPE.md section 5, buckets
// are exactly its fixed points above the floor, and the ceiling holds at N
// and N + 1.

#include "protocol/padme.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace amparo::protocol {
namespace {

TEST(PadmeTest, MatchesSpecificationTable) {
  const struct {
    std::uint64_t content;
    std::uint64_t padded;
  } kTable[] = {{0, 4096},          {1, 4096},           {4096, 4096},
                {4097, 4352},       {10000, 10240},      {65537, 67584},
                {1000000, 1015808}, {100000000, 100663296}, {520093696, 520093696}};
  for (const auto& row : kTable) {
    auto padded = PaddedLength(row.content);
    ASSERT_TRUE(padded.ok()) << row.content;
    EXPECT_EQ(padded.value(), row.padded) << row.content;
  }
}

TEST(PadmeTest, KnownValuesOfTheRawFunction) {
  EXPECT_EQ(Padme(0), 0u);
  EXPECT_EQ(Padme(1), 1u);
  EXPECT_EQ(Padme(2), 2u);
  EXPECT_EQ(Padme(7), 7u);
  EXPECT_EQ(Padme(9), 10u);  // E = 3, S = 2, lastBits = 1
  EXPECT_EQ(Padme(4097), 4352u);
  EXPECT_EQ(Padme(std::uint64_t{1} << 63), std::uint64_t{1} << 63);
}

TEST(PadmeTest, IsIdempotentAndNeverShrinks) {
  for (std::uint64_t n = 2; n < 200000; n += 37) {
    const std::uint64_t padded = Padme(n);
    EXPECT_GE(padded, n);
    EXPECT_EQ(Padme(padded), padded);
  }
}

TEST(PadmeTest, OverheadAboveTheFloorIsAtMostSixPercent) {
  for (std::uint64_t n = 4097; n < 50'000'000; n = n * 3 / 2 + 1) {
    const std::uint64_t padded = Padme(n);
    EXPECT_LE(static_cast<double>(padded - n), static_cast<double>(n) * 0.0625) << n;
  }
}

TEST(PadmeTest, BucketsAreFixedPointsAtOrAboveTheFloor) {
  EXPECT_FALSE(IsPadmeBucket(0));
  EXPECT_FALSE(IsPadmeBucket(2048));  // a Padmé value, below the floor
  EXPECT_FALSE(IsPadmeBucket(4095));
  EXPECT_TRUE(IsPadmeBucket(4096));
  EXPECT_FALSE(IsPadmeBucket(4097));
  EXPECT_TRUE(IsPadmeBucket(4352));
  EXPECT_TRUE(IsPadmeBucket(4096 + 256));
  EXPECT_FALSE(IsPadmeBucket(4096 + 128));
  EXPECT_TRUE(IsPadmeBucket(520093696));
  EXPECT_FALSE(IsPadmeBucket(520093697));
  EXPECT_FALSE(IsPadmeBucket(std::numeric_limits<std::uint64_t>::max()));
  for (std::uint64_t n = 4096; n < 300000; ++n) {
    ASSERT_EQ(IsPadmeBucket(n), Padme(n) == n) << n;
  }
}

TEST(PadmeTest, LargestBucketUnderTheCeiling) {
  EXPECT_EQ(kLargestPaddedBucket, 1073741824u);
  EXPECT_EQ(limits::kMaxPaddedLength, 1073741824u);
  EXPECT_TRUE(IsPadmeBucket(limits::kMaxPaddedLength));  // 1 GiB is itself a bucket
  // The next bucket is over the ceiling.
  EXPECT_GT(kLargestPaddedBucket + (std::uint64_t{1} << 25), limits::kMaxPaddedLength);
  EXPECT_TRUE(IsPadmeBucket(kLargestPaddedBucket + (std::uint64_t{1} << 25)));
  EXPECT_FALSE(IsPadmeBucket(kLargestPaddedBucket + (std::uint64_t{1} << 24)));
  EXPECT_EQ(LargestBucketAtMost(4095), 0u);
  EXPECT_EQ(LargestBucketAtMost(4096), 4096u);
  EXPECT_EQ(LargestBucketAtMost(4351), 4096u);
  EXPECT_EQ(LargestBucketAtMost(4352), 4352u);
}

TEST(PadmeTest, ContentUpToTheLargestBucketFitsAndOneMoreByteDoesNot) {
  auto at = PaddedLength(kLargestPaddedBucket);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at.value(), kLargestPaddedBucket);
  auto over = PaddedLength(kLargestPaddedBucket + 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
  auto huge = PaddedLength(std::numeric_limits<std::uint64_t>::max());
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error(), Error::kLimitExceeded);
}

TEST(PadmeTest, ALowerConfiguredMaximumIsHonouredAndAHigherOneIgnored) {
  EXPECT_TRUE(PaddedLength(8192, 8192).ok());
  auto over = PaddedLength(8193, 8192);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
  auto raised = PaddedLength(kLargestPaddedBucket + 1, std::numeric_limits<std::uint64_t>::max());
  ASSERT_FALSE(raised.ok());
  EXPECT_EQ(raised.error(), Error::kLimitExceeded);
}

}  // namespace
}  // namespace amparo::protocol
