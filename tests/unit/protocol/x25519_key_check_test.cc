// x25519_key_check_test.cc: real public keys pass; the small-order points,
// which X25519 itself refuses, and non-canonical encodings do not.

#include "protocol/x25519_key_check.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/identities.h"
#include "crypto/recipients.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/hex.h"

namespace amparo::protocol {
namespace {

using amparo::test::FromHex;

const std::vector<std::vector<std::uint8_t>>& SmallOrderPoints() {
  static const std::vector<std::vector<std::uint8_t>> points = {
      FromHex("0000000000000000000000000000000000000000000000000000000000000000"),
      FromHex("0100000000000000000000000000000000000000000000000000000000000000"),
      FromHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
      FromHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
      FromHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")};
  return points;
}

TEST(X25519KeyCheckTest, AcceptsGeneratedKeys) {
  amparo::test::DeterministicRandom random(1);
  for (int i = 0; i < 50; ++i) {
    const auto key = crypto::age::X25519Identity::Generate(random).PublicKey();
    EXPECT_TRUE(IsAcceptableX25519PublicKey(key.bytes));
  }
}

TEST(X25519KeyCheckTest, RefusesSmallOrderPointsThatX25519Refuses) {
  amparo::test::DeterministicRandom random(2);
  const crypto::age::FileKey file_key;
  for (const auto& point : SmallOrderPoints()) {
    EXPECT_FALSE(IsAcceptableX25519PublicKey(point)) << amparo::test::ToHex(point);
    // Cross-check: sealing to it fails in crypto/ as well.
    crypto::X25519PublicKey key;
    std::copy(point.begin(), point.end(), key.bytes.begin());
    EXPECT_FALSE(crypto::age::X25519Recipient(key).Wrap(file_key, random).ok());
  }
}

TEST(X25519KeyCheckTest, RefusesNonCanonicalEncodingsAndWrongSizes) {
  // p, p + 1 and a value with the top bit set.
  EXPECT_FALSE(IsAcceptableX25519PublicKey(
      FromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
  EXPECT_FALSE(IsAcceptableX25519PublicKey(
      FromHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
  EXPECT_FALSE(IsAcceptableX25519PublicKey(
      FromHex("0900000000000000000000000000000000000000000000000000000000000080")));
  // p - 2 is canonical and of large order.
  EXPECT_TRUE(IsAcceptableX25519PublicKey(
      FromHex("ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
  EXPECT_TRUE(IsAcceptableX25519PublicKey(
      FromHex("0900000000000000000000000000000000000000000000000000000000000000")));
  EXPECT_FALSE(IsAcceptableX25519PublicKey(std::vector<std::uint8_t>(31, 9)));
  EXPECT_FALSE(IsAcceptableX25519PublicKey(std::vector<std::uint8_t>(33, 9)));
}

}  // namespace
}  // namespace amparo::protocol
