// ids_test.cc: ids have exactly one hex form, refuse every other length or
// digit, and keep envelope and upload ids apart.

#include "storage/ids.h"

#include <gtest/gtest.h>

#include <type_traits>

#include "storage/envelope_store.h"

namespace amparo::storage {
namespace {

TEST(IdTest, HexRoundTrip) {
  const EnvelopeId id(EnvelopeId::Bytes{0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x30, 0x40, 0x50,
                                        0x60, 0x70, 0x8a, 0x9b, 0xac, 0xbd});
  EXPECT_EQ(id.Hex(), "00017f80ff102030405060708a9bacbd");
  auto parsed = EnvelopeId::FromHex(id.Hex());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), id);
}

TEST(IdTest, FromHexRefusesEverythingElse) {
  EXPECT_FALSE(EnvelopeId::FromHex("").ok());
  EXPECT_FALSE(EnvelopeId::FromHex("00017f80ff102030405060708a9bacb").ok());    // 31 digits
  EXPECT_FALSE(EnvelopeId::FromHex("00017f80ff102030405060708a9bacbd0").ok());  // 33 digits
  EXPECT_FALSE(EnvelopeId::FromHex("00017F80FF102030405060708A9BACBD").ok());   // upper case
  EXPECT_FALSE(EnvelopeId::FromHex("00017f80ff102030405060708a9bacbg").ok());
  EXPECT_FALSE(EnvelopeId::FromHex("00017f80ff102030405060708a9bac d").ok());
  EXPECT_EQ(UploadId::FromHex("xyz").error(), Error::kInvalidArgument);
}

TEST(IdTest, FromBytesNeedsExactlySixteen) {
  const std::uint8_t bytes[17] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  EXPECT_TRUE(UploadId::FromBytes(std::span(bytes, 16)).ok());
  EXPECT_EQ(UploadId::FromBytes(std::span(bytes, 15)).error(), Error::kInvalidArgument);
  EXPECT_EQ(UploadId::FromBytes(std::span(bytes, 17)).error(), Error::kInvalidArgument);
  EXPECT_EQ(UploadId::FromBytes(std::span(bytes, 16)).value().bytes()[15], 16);
}

TEST(IdTest, ZeroIdIsUnset) {
  EXPECT_TRUE(EnvelopeId().IsZero());
  EnvelopeId::Bytes bytes{};
  bytes[15] = 1;
  EXPECT_FALSE(EnvelopeId(bytes).IsZero());
}

TEST(IdTest, OrderIsBytewise) {
  EnvelopeId::Bytes low{};
  EnvelopeId::Bytes high{};
  low[15] = 0xff;
  high[0] = 0x01;
  EXPECT_LT(EnvelopeId(low), EnvelopeId(high));
}

TEST(IdTest, EnvelopeAndUploadIdsAreDistinctTypes) {
  static_assert(!std::is_convertible_v<UploadId, EnvelopeId>);
  static_assert(!std::is_convertible_v<EnvelopeId, UploadId>);
}

}  // namespace
}  // namespace amparo::storage
