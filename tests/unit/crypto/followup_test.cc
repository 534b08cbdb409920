// followup_test.cc: receipt codes, what they derive, and how the gateway
// names a mailbox (proto/FOLLOWUP.md sections 1 to 3). A code has 10 words
// of a 2048-word list whose words are unique in their first 4 letters: 110
// bits. Typed codes are read leniently but exactly; the derivation is the
// composition the specification states, and matches the vector that the
// page's implementation checks too (tests/vectors/followup/).

#include <gtest/gtest.h>
#include <sodium.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "common/hex.h"
#include "crypto/followup_keys.h"
#include "crypto/hkdf.h"
#include "crypto/mailbox.h"
#include "crypto/receipt_code.h"
#include "crypto/signatures.h"
#include "tests/support/deterministic_random.h"

namespace amparo::crypto {
namespace {

std::string Text(const SecretBuffer& code) {
  return std::string(reinterpret_cast<const char*>(code.data()), code.size());
}

std::string CanonicalOrEmpty(std::string_view typed) {
  auto code = CanonicalReceiptCode(typed);
  return code.ok() ? Text(code.value()) : std::string();
}

TEST(ReceiptCodeTest, TheListHas2048DistinctWordsUniqueInFourLetters) {
  std::set<std::string_view> words(kReceiptWords.begin(), kReceiptWords.end());
  std::set<std::string_view> prefixes;
  for (std::string_view w : kReceiptWords) {
    EXPECT_GE(w.size(), 3u);
    EXPECT_LE(w.size(), 8u);
    for (char c : w) EXPECT_TRUE(c >= 'a' && c <= 'z') << w;
    prefixes.insert(w.substr(0, kReceiptWordPrefix));
  }
  EXPECT_EQ(words.size(), 2048u);
  EXPECT_EQ(prefixes.size(), 2048u);
}

TEST(ReceiptCodeTest, ACodeCarriesAtLeast100BitsAndUsesTheWholeList) {
  EXPECT_GE(limits::kReceiptCodeWords * std::log2(static_cast<double>(kReceiptWords.size())), 100.0);
  test::DeterministicRandom random(7);
  std::set<std::string> seen_words;
  std::set<std::string> codes;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = Text(GenerateReceiptCode(random));
    codes.insert(code);
    std::istringstream in(code);
    std::string word;
    int count = 0;
    while (in >> word) {
      seen_words.insert(word);
      ++count;
    }
    EXPECT_EQ(count, 10);
    EXPECT_EQ(CanonicalOrEmpty(code), code);  // a generated code is canonical
  }
  EXPECT_EQ(codes.size(), 2000u);
  // 20000 draws from 2048 words leave almost none unseen (expected ~0.1).
  EXPECT_GE(seen_words.size(), 2040u);
}

TEST(ReceiptCodeTest, TypedCodesAreReadLenientlyButExactly) {
  const std::string code = "abandon ability able about above absent absorb abstract absurd abuse";
  EXPECT_EQ(CanonicalOrEmpty(code), code);
  EXPECT_EQ(CanonicalOrEmpty("  ABANDON-abil ABLE\tabou\nabov absent absorb abst absu abus "), code);
  EXPECT_EQ(CanonicalOrEmpty("abandon ability able about above absent absorb abstract absurd"), "");
  EXPECT_EQ(CanonicalOrEmpty(code + " access"), "");                      // eleven words
  EXPECT_EQ(CanonicalOrEmpty("abandon abi able about above absent absorb abstract absurd abuse"), "");  // 3 letters, no word
  EXPECT_EQ(CanonicalOrEmpty("abandon ability able about above absent absorb abstract absurd abusex"), "");
  EXPECT_EQ(CanonicalOrEmpty("abandon ability able about above absent absorb abstract absurd abus3"), "");
  EXPECT_EQ(CanonicalOrEmpty("abandon ability able about above absent absorb abstract absurd abusé"), "");
  // "ab" starts several words and is no word itself.
  EXPECT_EQ(CanonicalOrEmpty("ab ability able about above absent absorb abstract absurd abuse"), "");
  const std::string at_limit(limits::kMaxReceiptCodeTextBytes, ' ');
  EXPECT_EQ(CanonicalReceiptCode(at_limit).error(), Error::kInvalidArgument);
  EXPECT_EQ(CanonicalReceiptCode(at_limit + " ").error(), Error::kLimitExceeded);
}

TEST(FollowUpKeysTest, DerivationIsTheCompositionTheSpecificationStates) {
  auto code = CanonicalReceiptCode("abandon ability able about above absent absorb abstract absurd abuse");
  ASSERT_TRUE(code.ok());
  auto keys = DeriveFollowUpKeys(code.value());
  ASSERT_TRUE(keys.ok());
  std::array<std::uint8_t, 32> master{};
  ASSERT_EQ(crypto_pwhash(master.data(), master.size(), reinterpret_cast<const char*>(code.value().data()),
                          code.value().size(), reinterpret_cast<const unsigned char*>("amparo/v1 code\0\0"),
                          2, 64u << 20, crypto_pwhash_ALG_ARGON2ID13), 0);
  std::array<std::uint8_t, 32> token{};
  HkdfSha256(master, {}, "amparo/v1 mailbox token", token);
  EXPECT_TRUE(ConstantTimeEqual(keys.value().token.span(), token));
  std::array<std::uint8_t, 32> reply_secret{};
  HkdfSha256(master, {}, "amparo/v1 reply key", reply_secret);
  std::array<std::uint8_t, 32> reply_public{};
  ASSERT_EQ(crypto_scalarmult_base(reply_public.data(), reply_secret.data()), 0);
  EXPECT_EQ(keys.value().reply_public_key.bytes, reply_public);
  std::vector<std::uint8_t> hashed = {'a', 'm', 'p', 'a', 'r', 'o', '/', 'v', '1', ' ', 'm', 'a', 'i',
                                      'l', 'b', 'o', 'x', ' ', 'i', 'd', 0};
  hashed.insert(hashed.end(), token.begin(), token.end());
  EXPECT_EQ(keys.value().mailbox_id, Sha256(hashed));
  EXPECT_NE(reply_secret, token);
}

TEST(FollowUpKeysTest, TheVectorSharedWithThePageHolds) {
  const char* data = std::getenv("AMPARO_TEST_DATA");
  ASSERT_NE(data, nullptr);
  std::ifstream in(std::string(data) + "/vectors/followup/derivation.txt");
  std::map<std::string, std::string> fields;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(": ");
    ASSERT_NE(colon, std::string::npos) << line;
    fields[line.substr(0, colon)] = line.substr(colon + 2);
  }
  auto code = CanonicalReceiptCode(fields["code"]);
  ASSERT_TRUE(code.ok());
  auto keys = DeriveFollowUpKeys(code.value());
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(HexEncode(keys.value().reply_public_key.bytes), fields["reply_public_key"]);
  EXPECT_EQ(HexEncode(keys.value().token.span()), fields["token"]);
  EXPECT_EQ(HexEncode(keys.value().mailbox_id), fields["mailbox_id"]);
  SecretBytes<kMailboxSecretSize> secret;
  ASSERT_TRUE(HexDecode(fields["gateway_secret"], secret.span()));
  const MailboxKey mailbox_key = MailboxKeyFor(secret, keys.value().mailbox_id);
  EXPECT_EQ(HexEncode(mailbox_key), fields["mailbox_key"]);
  EXPECT_EQ(HexEncode(FillerReplyId(secret, mailbox_key, 3)), fields["filler_slot_3"]);
}

TEST(MailboxTest, FillersAreStablePerMailboxAndDifferPerSlotAndMailbox) {
  SecretBytes<kMailboxSecretSize> secret;
  secret.data()[0] = 1;
  MailboxKey a{};
  MailboxKey b{};
  b[0] = 1;
  EXPECT_EQ(FillerReplyId(secret, a, 0), FillerReplyId(secret, a, 0));
  EXPECT_NE(FillerReplyId(secret, a, 0), FillerReplyId(secret, a, 1));
  EXPECT_NE(FillerReplyId(secret, a, 0), FillerReplyId(secret, b, 0));
  SecretBytes<kMailboxSecretSize> other;
  EXPECT_NE(MailboxKeyFor(secret, MailboxId{}), MailboxKeyFor(other, MailboxId{}));
}

}  // namespace
}  // namespace amparo::crypto
