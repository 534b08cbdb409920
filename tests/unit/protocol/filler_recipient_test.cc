// filler_recipient_test.cc: a filler stanza has the exact shape of a real
// X25519 stanza, a share that passes every public test a real share passes,
// and no function of the file key; no identity opens it.

#include "protocol/filler_recipient.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/base64.h"
#include "crypto/identities.h"
#include "protocol/x25519_key_check.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

TEST(FillerRecipientTest, HasTheShapeOfARealStanza) {
  amparo::test::DeterministicRandom random(1);
  const FillerRecipient filler;
  const crypto::age::X25519Recipient real(crypto::age::X25519Identity::Generate(random).PublicKey());
  crypto::age::FileKey file_key;
  random.Fill(file_key.span());
  auto made = filler.Wrap(file_key, random);
  auto genuine = real.Wrap(file_key, random);
  ASSERT_TRUE(made.ok() && genuine.ok());
  EXPECT_EQ(made.value().args.size(), genuine.value().args.size());
  EXPECT_EQ(made.value().args[0], "X25519");
  EXPECT_EQ(made.value().args[1].size(), genuine.value().args[1].size());
  EXPECT_EQ(made.value().body.size(), genuine.value().body.size());
  EXPECT_EQ(crypto::age::EncodeStanza(made.value()).size(),
            crypto::age::EncodeStanza(genuine.value()).size());
}

TEST(FillerRecipientTest, SharesAreCanonicalPointsOfLargeOrderAndFresh) {
  amparo::test::DeterministicRandom random(2);
  const FillerRecipient filler;
  const crypto::age::FileKey file_key;
  std::set<std::string> shares;
  std::set<std::vector<std::uint8_t>> bodies;
  for (int i = 0; i < 200; ++i) {
    auto stanza = filler.Wrap(file_key, random);
    ASSERT_TRUE(stanza.ok());
    auto share = crypto::DecodeBase64(stanza.value().args[1], crypto::Base64Padding::kNone);
    ASSERT_TRUE(share && share->size() == 32);
    EXPECT_TRUE(IsAcceptableX25519PublicKey(*share));
    shares.insert(stanza.value().args[1]);
    bodies.insert(stanza.value().body);
  }
  EXPECT_EQ(shares.size(), 200u);
  EXPECT_EQ(bodies.size(), 200u);
}

TEST(FillerRecipientTest, NoIdentityOpensIt) {
  amparo::test::DeterministicRandom random(3);
  const FillerRecipient filler;
  crypto::age::FileKey file_key;
  random.Fill(file_key.span());
  auto stanza = filler.Wrap(file_key, random);
  ASSERT_TRUE(stanza.ok());
  const crypto::age::Stanza stanzas[] = {stanza.value()};
  for (int i = 0; i < 5; ++i) {
    auto unwrapped = crypto::age::X25519Identity::Generate(random).Unwrap(stanzas);
    ASSERT_TRUE(unwrapped.ok());
    EXPECT_FALSE(unwrapped.value().has_value());
  }
}

}  // namespace
}  // namespace amparo::protocol
