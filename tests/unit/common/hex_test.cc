// hex_test.cc: one textual form: lower case, exact length, round trip; and
// the grouped form read aloud.

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

TEST(HexTest, GroupedFormPutsADashAfterEveryFourDigits) {
  const std::array<std::uint8_t, 5> bytes = {0x05, 0xae, 0xd5, 0x53, 0xac};
  EXPECT_EQ(HexEncodeGrouped(bytes), "05ae-d553-ac");
  EXPECT_EQ(HexEncodeGrouped(std::span(bytes).first(4)), "05ae-d553");
  EXPECT_EQ(HexEncodeGrouped(std::span(bytes).first(2)), "05ae");
  EXPECT_EQ(HexEncodeGrouped({}), "");
}

}  // namespace
}  // namespace amparo
