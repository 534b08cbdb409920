// hkdf_test.cc: HMAC-SHA-256 matches RFC 4231 and HKDF-SHA-256 matches
// RFC 5869 test cases 1 to 3; HKDF's output bound holds at N and N+1.

#include "crypto/hkdf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "tests/support/hex.h"

namespace amparo::crypto {
namespace {

using test::FromHex;
using test::ToHex;

std::vector<std::uint8_t> Range(int first, int last_exclusive) {
  std::vector<std::uint8_t> out;
  for (int i = first; i < last_exclusive; ++i) out.push_back(static_cast<std::uint8_t>(i));
  return out;
}

std::string Info(const std::vector<std::uint8_t>& bytes) { return std::string(AsText(bytes)); }

TEST(HmacSha256Test, Rfc4231Case1) {
  const std::vector<std::uint8_t> key(20, 0x0b);
  EXPECT_EQ(ToHex(HmacSha256(key, AsBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256Test, Rfc4231Case2) {
  EXPECT_EQ(ToHex(HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, Rfc4231Case6KeyLongerThanBlock) {
  const std::vector<std::uint8_t> key(131, 0xaa);
  EXPECT_EQ(ToHex(HmacSha256(key, AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HkdfSha256Test, Rfc5869Case1) {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  const auto salt = Range(0x00, 0x0d);
  const auto info = Range(0xf0, 0xfa);
  EXPECT_EQ(ToHex(HmacSha256(salt, ikm)),
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  std::vector<std::uint8_t> okm(42);
  HkdfSha256(ikm, salt, Info(info), okm);
  EXPECT_EQ(ToHex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865");
}

TEST(HkdfSha256Test, Rfc5869Case2LongInputs) {
  const auto ikm = Range(0x00, 0x50);
  const auto salt = Range(0x60, 0xb0);
  const auto info = Range(0xb0, 0x100);
  std::vector<std::uint8_t> okm(82);
  HkdfSha256(ikm, salt, Info(info), okm);
  EXPECT_EQ(ToHex(okm),
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST(HkdfSha256Test, Rfc5869Case3EmptySaltAndInfo) {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  std::vector<std::uint8_t> okm(42);
  HkdfSha256(ikm, {}, "", okm);
  EXPECT_EQ(ToHex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8");
}

TEST(HkdfSha256Test, ShorterOutputIsPrefixOfLonger) {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  std::vector<std::uint8_t> long_okm(64);
  std::vector<std::uint8_t> short_okm(33);
  HkdfSha256(ikm, {}, "age", long_okm);
  HkdfSha256(ikm, {}, "age", short_okm);
  EXPECT_TRUE(std::equal(short_okm.begin(), short_okm.end(), long_okm.begin()));
}

TEST(HkdfSha256Test, AcceptsMaximumOutputOf255Blocks) {
  std::vector<std::uint8_t> okm(255 * kSha256Size, 0);
  HkdfSha256(AsBytes("ikm"), {}, "", okm);
  EXPECT_NE(std::count(okm.end() - 32, okm.end(), std::uint8_t{0}), 32);
}

TEST(HkdfSha256DeathTest, AbortsOnOutputOf255BlocksPlusOneByte) {
  std::vector<std::uint8_t> okm(255 * kSha256Size + 1);
  EXPECT_DEATH(HkdfSha256(AsBytes("ikm"), {}, "", okm), "");
}

}  // namespace
}  // namespace amparo::crypto
