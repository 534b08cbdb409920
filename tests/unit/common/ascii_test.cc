// ascii_test.cc: ASCII lower case touches 'A' to 'Z' and no other byte.

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

}  // namespace
}  // namespace amparo
