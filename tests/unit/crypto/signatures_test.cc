// signatures_test.cc: Ed25519 signing and verification agree with RFC 8032,
// contexts separate kinds of signed objects, and fingerprints pin keys.

#include "crypto/signatures.h"

#include <gtest/gtest.h>

#include "crypto/signing_key.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/hex.h"

namespace amparo::crypto {
namespace {

// RFC 8032 section 7.1, TEST 1: an empty message, signed without a context.
TEST(SignaturesTest, MatchesRfc8032TestOne) {
  const auto seed = test::FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  auto key = SigningKey::FromSeed(seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(test::FromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            std::vector<std::uint8_t>(key.value().public_key().bytes.begin(),
                                      key.value().public_key().bytes.end()));
  const auto signature = key.value().Sign("", {});
  EXPECT_EQ(test::FromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            std::vector<std::uint8_t>(signature.begin(), signature.end()));
  EXPECT_TRUE(VerifySignature(key.value().public_key(), "", {}, signature));
}

TEST(SignaturesTest, ContextSeparatesKindsOfObjects) {
  test::DeterministicRandom random(7);
  const auto key = SigningKey::Generate(random);
  const std::vector<std::uint8_t> message = {1, 2, 3};
  const auto signature = key.Sign("amparo/v1 key bundle", message);
  EXPECT_TRUE(VerifySignature(key.public_key(), "amparo/v1 key bundle", message, signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), "amparo/v1 root endorsement", message, signature));
}

TEST(SignaturesTest, RejectsTamperedMessageWrongKeyAndWrongLength) {
  test::DeterministicRandom random(8);
  const auto key = SigningKey::Generate(random);
  const auto other = SigningKey::Generate(random);
  std::vector<std::uint8_t> message = {9, 9, 9};
  const auto signature = key.Sign("c", message);
  EXPECT_FALSE(VerifySignature(other.public_key(), "c", message, signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), "c", message, std::span(signature).first(63)));
  message[0] ^= 1;
  EXPECT_FALSE(VerifySignature(key.public_key(), "c", message, signature));
}

TEST(SignaturesTest, FingerprintRoundTripsAndPinsExactlyOneKey) {
  test::DeterministicRandom random(9);
  const auto key = SigningKey::Generate(random);
  const auto other = SigningKey::Generate(random);
  const std::string fingerprint = Fingerprint(key.public_key());
  EXPECT_EQ(fingerprint.size(), 64u + 15u);
  auto pinned = ParseFingerprint(fingerprint);
  ASSERT_TRUE(pinned.ok());
  EXPECT_TRUE(MatchesFingerprint(key.public_key(), pinned.value()));
  EXPECT_FALSE(MatchesFingerprint(other.public_key(), pinned.value()));
  std::string undashed;
  for (char c : fingerprint) if (c != '-') undashed += c;
  EXPECT_TRUE(ParseFingerprint(undashed).ok());
}

TEST(SignaturesTest, ParseFingerprintRejectsWrongLengthAndCharacters) {
  EXPECT_FALSE(ParseFingerprint("").ok());
  EXPECT_FALSE(ParseFingerprint(std::string(63, 'a')).ok());
  EXPECT_FALSE(ParseFingerprint(std::string(65, 'a')).ok());
  EXPECT_FALSE(ParseFingerprint(std::string(64, 'A')).ok());
  EXPECT_FALSE(ParseFingerprint(std::string(63, 'a') + "g").ok());
  EXPECT_TRUE(ParseFingerprint(std::string(64, 'a')).ok());
}

TEST(SignaturesTest, PublicKeyFromRequiresExactly32Bytes) {
  EXPECT_TRUE(Ed25519PublicKeyFrom(std::vector<std::uint8_t>(32)).ok());
  EXPECT_FALSE(Ed25519PublicKeyFrom(std::vector<std::uint8_t>(31)).ok());
  EXPECT_FALSE(Ed25519PublicKeyFrom(std::vector<std::uint8_t>(33)).ok());
}

TEST(SignaturesTest, Sha256OfEmptyInputIsTheKnownDigest) {
  const auto digest = Sha256({});
  EXPECT_EQ(test::FromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            std::vector<std::uint8_t>(digest.begin(), digest.end()));
}

}  // namespace
}  // namespace amparo::crypto
