// recipients_test.cc: recipients wrap the file key into well-formed stanzas
// with fresh randomness, refuse low-order keys and out-of-range work factors,
// and recipients files parse like key files.

#include "crypto/recipients.h"

#include <sodium.h>

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "common/byte_reader.h"
#include "crypto/base64.h"
#include "crypto/identities.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/secret_text.h"

namespace amparo::crypto::age {
namespace {

using test::DeterministicRandom;

FileKey TestFileKey() {
  FileKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<std::uint8_t>(0x30 + i);
  return key;
}

bool SameKey(const FileKey& a, const FileKey& b) { return ConstantTimeEqual(a.span(), b.span()); }

TEST(X25519RecipientTest, WrapsIntoStanzaWithEphemeralShare) {
  DeterministicRandom identity_random(1);
  const auto identity = X25519Identity::Generate(identity_random);
  const X25519Recipient recipient(identity.PublicKey());

  DeterministicRandom random(2);
  auto stanza = recipient.Wrap(TestFileKey(), random);
  ASSERT_TRUE(stanza.ok());
  ASSERT_EQ(stanza.value().args.size(), 2u);
  EXPECT_EQ(stanza.value().args[0], "X25519");
  EXPECT_EQ(stanza.value().body.size(), kWrappedFileKeySize);

  // The share is the public half of the first 32 random bytes.
  DeterministicRandom replay(2);
  std::array<std::uint8_t, 32> ephemeral{};
  replay.Fill(ephemeral);
  std::array<std::uint8_t, 32> share{};
  ASSERT_EQ(crypto_scalarmult_base(share.data(), ephemeral.data()), 0);
  EXPECT_EQ(stanza.value().args[1], EncodeBase64(share, Base64Padding::kNone));
}

TEST(X25519RecipientTest, StanzaUnwrapsToTheFileKey) {
  DeterministicRandom random(3);
  const auto identity = X25519Identity::Generate(random);
  auto stanza = X25519Recipient(identity.PublicKey()).Wrap(TestFileKey(), random);
  ASSERT_TRUE(stanza.ok());
  auto unwrapped = identity.Unwrap(std::span(&stanza.value(), 1));
  ASSERT_TRUE(unwrapped.ok());
  ASSERT_TRUE(unwrapped.value().has_value());
  EXPECT_TRUE(SameKey(*unwrapped.value(), TestFileKey()));
}

TEST(X25519RecipientTest, EachWrapUsesAFreshShare) {
  DeterministicRandom random(4);
  const auto identity = X25519Identity::Generate(random);
  const X25519Recipient recipient(identity.PublicKey());
  auto first = recipient.Wrap(TestFileKey(), random);
  auto second = recipient.Wrap(TestFileKey(), random);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first.value().args[1], second.value().args[1]);
  EXPECT_NE(first.value().body, second.value().body);
}

TEST(X25519RecipientTest, RefusesLowOrderKeys) {
  DeterministicRandom random(5);
  for (std::uint8_t first_byte : {std::uint8_t{0}, std::uint8_t{1}}) {
    X25519PublicKey low_order;
    low_order.bytes[0] = first_byte;
    auto stanza = X25519Recipient(low_order).Wrap(TestFileKey(), random);
    ASSERT_FALSE(stanza.ok()) << int{first_byte};
    EXPECT_EQ(stanza.error(), Error::kInvalidKey);
  }
}

TEST(X25519RecipientTest, MayShareAHeader) {
  EXPECT_FALSE(X25519Recipient(X25519PublicKey{}).MustBeAlone());
}

TEST(ScryptRecipientTest, WrapsIntoStanzaWithSaltAndWorkFactor) {
  const ScryptRecipient recipient(test::SecretText("correct horse"), 10);
  EXPECT_TRUE(recipient.MustBeAlone());
  DeterministicRandom random(6);
  auto stanza = recipient.Wrap(TestFileKey(), random);
  ASSERT_TRUE(stanza.ok());
  DeterministicRandom replay(6);
  std::array<std::uint8_t, 16> salt{};
  replay.Fill(salt);
  EXPECT_EQ(stanza.value().args,
            (std::vector<std::string>{"scrypt", EncodeBase64(salt, Base64Padding::kNone), "10"}));
  EXPECT_EQ(stanza.value().body.size(), kWrappedFileKeySize);

  const ScryptIdentity identity(test::SecretText("correct horse"));
  auto unwrapped = identity.Unwrap(std::span(&stanza.value(), 1));
  ASSERT_TRUE(unwrapped.ok());
  ASSERT_TRUE(unwrapped.value().has_value());
  EXPECT_TRUE(SameKey(*unwrapped.value(), TestFileKey()));
}

TEST(ScryptRecipientTest, RefusesWorkFactorOutsideRange) {
  DeterministicRandom random(7);
  for (int log_n : {0, limits::kMaxScryptLogN + 1}) {
    auto stanza = ScryptRecipient(test::SecretText("p"), log_n).Wrap(TestFileKey(), random);
    ASSERT_FALSE(stanza.ok()) << log_n;
    EXPECT_EQ(stanza.error(), Error::kInvalidArgument);
  }
}

constexpr std::string_view kSpecRecipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

TEST(ParseRecipientsFileTest, ReadsKeysSkippingCommentsAndBlankLines) {
  DeterministicRandom random(8);
  const auto other = X25519Identity::Generate(random).PublicKey();
  const std::string content = "# the spec example\r\n" + std::string(kSpecRecipient) +
                              "\r\n\n# another\n" + EncodeRecipient(other);
  auto keys = ParseRecipientsFile(content);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys.value().size(), 2u);
  EXPECT_EQ(EncodeRecipient(keys.value()[0]), kSpecRecipient);
  EXPECT_EQ(keys.value()[1], other);
}

TEST(ParseRecipientsFileTest, RejectsAnyOtherLine) {
  for (std::string content : {std::string(kSpecRecipient) + "\nnot a key\n",
                              " " + std::string(kSpecRecipient) + "\n",
                              std::string(kSpecRecipient) + " # trailing comment\n",
                              std::string("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n")}) {
    auto keys = ParseRecipientsFile(content);
    ASSERT_FALSE(keys.ok()) << content;
    EXPECT_EQ(keys.error(), Error::kInvalidKey);
  }
}

}  // namespace
}  // namespace amparo::crypto::age
