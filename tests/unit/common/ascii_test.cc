// ascii_test.cc: ASCII lower case touches 'A' to 'Z' and no other byte, and
// the character classes hold exactly the ASCII digits and letters.

#include "common/ascii.h"

#include <gtest/gtest.h>

#include <string>

namespace amparo {
namespace {

TEST(AsciiTest, LowersOnlyTheAsciiCapitals) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const char expected = (c >= 'A' && c <= 'Z') ? static_cast<char>(b + 32) : c;
    EXPECT_EQ(AsciiLower(c), expected) << b;
  }
  EXPECT_EQ(AsciiLowerCopy("HTTPS://Gw.ONION:80/"), "https://gw.onion:80/");
  EXPECT_EQ(AsciiLowerCopy(std::string("A\0\xC3\x89", 4)), std::string("a\0\xC3\x89", 4));
  EXPECT_EQ(AsciiLowerCopy(""), "");
}

TEST(AsciiTest, ClassesHoldTheAsciiDigitsAndLettersAndNoOtherByte) {
  const std::string digits = "0123456789";
  const std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  int digit_count = 0, alpha_count = 0, alnum_count = 0;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool digit = b < 128 && digits.find(c) != std::string::npos;
    const bool letter = b < 128 && letters.find(c) != std::string::npos;
    EXPECT_EQ(IsAsciiDigit(c), digit) << b;
    EXPECT_EQ(IsAsciiAlpha(c), letter) << b;
    EXPECT_EQ(IsAsciiAlnum(c), digit || letter) << b;
    digit_count += IsAsciiDigit(c);
    alpha_count += IsAsciiAlpha(c);
    alnum_count += IsAsciiAlnum(c);
  }
  EXPECT_EQ(digit_count, 10);
  EXPECT_EQ(alpha_count, 52);
  EXPECT_EQ(alnum_count, 62);
}

}  // namespace
}  // namespace amparo
