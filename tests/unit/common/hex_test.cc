// hex_test.cc: one textual form: lower case, exact length, round trip.

#include "common/hex.h"

#include <gtest/gtest.h>

#include <array>

namespace amparo {
namespace {

TEST(HexTest, RoundTripsAndRefusesOtherForms) {
  const std::array<std::uint8_t, 3> bytes = {0x00, 0xab, 0xff};
  EXPECT_EQ(HexEncode(bytes), "00abff");
  std::array<std::uint8_t, 3> out{};
  ASSERT_TRUE(HexDecode("00abff", out));
  EXPECT_EQ(out, bytes);
  EXPECT_FALSE(HexDecode("00ABFF", out));   // upper case
  EXPECT_FALSE(HexDecode("00abf", out));    // short
  EXPECT_FALSE(HexDecode("00abff0", out));  // long
  EXPECT_FALSE(HexDecode("00abfg", out));   // not a digit
}

}  // namespace
}  // namespace amparo
