// passphrase_box_test.cc: the key depends on passphrase, salt and cost; the
// box opens only with the same key and associated data; costs outside the
// accepted range are refused before any work.

#include "crypto/passphrase_box.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "tests/support/deterministic_random.h"

namespace amparo::crypto {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::array<std::uint8_t, kPassphraseSaltBytes> Salt(std::uint8_t fill) {
  std::array<std::uint8_t, kPassphraseSaltBytes> salt{};
  salt.fill(fill);
  return salt;
}

TEST(PassphraseBoxTest, RoundTripAndEveryChangeFailsToOpen) {
  test::DeterministicRandom random(1);
  auto key = DerivePassphraseKey(Bytes("correct horse"), Salt(1), kPasswordHashInteractive);
  ASSERT_TRUE(key.ok());
  const auto box = SealBox(key.value(), Bytes("header"), Bytes("the keystore"), random);
  EXPECT_EQ(box.size(), kBoxNonceBytes + 12 + kBoxTagBytes);
  auto opened = OpenBox(key.value(), Bytes("header"), box);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(opened.value().data()),
                             opened.value().size()),
            "the keystore");

  EXPECT_EQ(OpenBox(key.value(), Bytes("Header"), box).error(), Error::kPayload);
  for (std::size_t i : {std::size_t{0}, kBoxNonceBytes, box.size() - 1}) {
    auto altered = box;
    altered[i] ^= 1;
    EXPECT_EQ(OpenBox(key.value(), Bytes("header"), altered).error(), Error::kPayload) << i;
  }
  auto wrong = DerivePassphraseKey(Bytes("correct horsf"), Salt(1), kPasswordHashInteractive);
  EXPECT_EQ(OpenBox(wrong.value(), Bytes("header"), box).error(), Error::kPayload);
  auto other_salt = DerivePassphraseKey(Bytes("correct horse"), Salt(2), kPasswordHashInteractive);
  EXPECT_EQ(OpenBox(other_salt.value(), Bytes("header"), box).error(), Error::kPayload);
}

TEST(PassphraseBoxTest, EachSealDrawsAFreshNonce) {
  test::DeterministicRandom random(2);
  auto key = DerivePassphraseKey(Bytes("p"), Salt(3), kPasswordHashInteractive);
  ASSERT_TRUE(key.ok());
  const auto a = SealBox(key.value(), {}, Bytes("same"), random);
  const auto b = SealBox(key.value(), {}, Bytes("same"), random);
  EXPECT_NE(a, b);
}

TEST(PassphraseBoxTest, ShortBoxesAndUnacceptableCostsAreRefused) {
  auto key = DerivePassphraseKey(Bytes("p"), Salt(4), kPasswordHashInteractive);
  ASSERT_TRUE(key.ok());
  const std::vector<std::uint8_t> short_box(kBoxNonceBytes + kBoxTagBytes - 1);
  EXPECT_EQ(OpenBox(key.value(), {}, short_box).error(), Error::kLimitExceeded);

  EXPECT_TRUE(AcceptableCost(kPasswordHashInteractive));
  EXPECT_TRUE(AcceptableCost(kPasswordHashModerate));
  EXPECT_TRUE(AcceptableCost(kPasswordHashSensitive));
  EXPECT_FALSE(AcceptableCost({kPasswordHashInteractive.opslimit - 1,
                               kPasswordHashInteractive.memlimit}));
  EXPECT_FALSE(AcceptableCost({kPasswordHashInteractive.opslimit,
                               kPasswordHashInteractive.memlimit - 1}));
  EXPECT_FALSE(AcceptableCost({kPasswordHashSensitive.opslimit + 1,
                               kPasswordHashSensitive.memlimit}));
  EXPECT_FALSE(AcceptableCost({kPasswordHashSensitive.opslimit,
                               kPasswordHashSensitive.memlimit + 1}));
  EXPECT_EQ(DerivePassphraseKey(Bytes("p"), Salt(4), {1, kPasswordHashInteractive.memlimit})
                .error(),
            Error::kInvalidArgument);
  EXPECT_EQ(DerivePassphraseKey({}, Salt(4), kPasswordHashInteractive).error(),
            Error::kInvalidArgument);
}

}  // namespace
}  // namespace amparo::crypto
