// varint_test.cc: minimal varints are written and read back, and every
// non-minimal or overlong form is refused without consuming anything.

#include "protocol/varint.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace amparo::protocol {
namespace {

TEST(VarintTest, RoundTripsAtEveryLengthBoundary) {
  for (int bits = 0; bits <= 64; ++bits) {
    for (const std::uint64_t value :
         {bits == 64 ? std::numeric_limits<std::uint64_t>::max() : (std::uint64_t{1} << bits) - 1,
          bits == 64 ? std::uint64_t{0} : std::uint64_t{1} << bits}) {
      std::vector<std::uint8_t> encoded;
      AppendVarint(value, encoded);
      EXPECT_EQ(encoded.size(), VarintSize(value));
      ByteReader reader(encoded);
      std::uint64_t decoded = 0;
      ASSERT_TRUE(ReadMinimalVarint(reader, &decoded)) << value;
      EXPECT_EQ(decoded, value);
      EXPECT_TRUE(reader.empty());
    }
  }
}

TEST(VarintTest, KnownEncodings) {
  std::vector<std::uint8_t> encoded;
  AppendVarint(4096, encoded);
  EXPECT_EQ(encoded, (std::vector<std::uint8_t>{0x80, 0x20}));
  encoded.clear();
  AppendVarint(std::numeric_limits<std::uint64_t>::max(), encoded);
  EXPECT_EQ(encoded.size(), 10u);
  EXPECT_EQ(encoded.back(), 0x01);
}

TEST(VarintTest, RefusesNonMinimalOverlongAndTruncated) {
  const std::vector<std::vector<std::uint8_t>> bad = {
      {},                                                        // nothing
      {0x80},                                                    // truncated
      {0x81, 0x00},                                              // 1 with a redundant group
      {0x80, 0x80, 0x00},                                        // 0, over-long
      {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},  // over 64 bits
      {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},  // 11 bytes
  };
  for (const auto& bytes : bad) {
    ByteReader reader(bytes);
    std::uint64_t value = 99;
    EXPECT_FALSE(ReadMinimalVarint(reader, &value));
    EXPECT_EQ(reader.remaining(), bytes.size());
    EXPECT_EQ(value, 99u);
  }
}

TEST(VarintTest, StopsAtTheEndOfTheVarint) {
  const std::vector<std::uint8_t> bytes = {0x05, 0x10};
  ByteReader reader(bytes);
  std::uint64_t value = 0;
  ASSERT_TRUE(ReadMinimalVarint(reader, &value));
  EXPECT_EQ(value, 5u);
  EXPECT_EQ(reader.remaining(), 1u);
}

}  // namespace
}  // namespace amparo::protocol
