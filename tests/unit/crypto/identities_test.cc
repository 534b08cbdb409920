// identities_test.cc: X25519 identities parse and encode age's secret keys,
// unwrap only well-formed stanzas addressed to them; scrypt identities open a
// passphrase stanza only when it stands alone and within the work-factor
// ceiling; identity files parse like age-keygen's output.

#include "crypto/identities.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/base64.h"
#include "crypto/bech32.h"
#include "crypto/recipients.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/secret_text.h"
#include "tests/support/freed_memory_probe.h"

namespace amparo::crypto::age {
namespace {

using test::DeterministicRandom;

constexpr std::string_view kSpecIdentity =
    "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
constexpr std::string_view kSpecRecipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

std::string_view Text(const SecretBuffer& buffer) { return AsText(buffer.span()); }

FileKey TestFileKey() {
  FileKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<std::uint8_t>(0x70 + i);
  return key;
}

bool SameKey(const FileKey& a, const FileKey& b) { return ConstantTimeEqual(a.span(), b.span()); }

void ExpectInvalidKey(std::string_view text) {
  auto identity = X25519Identity::Parse(text);
  ASSERT_FALSE(identity.ok()) << text;
  EXPECT_EQ(identity.error(), Error::kInvalidKey) << text;
}

TEST(X25519IdentityTest, SpecExampleHasSpecRecipient) {
  auto identity = X25519Identity::Parse(kSpecIdentity);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(EncodeRecipient(identity.value().PublicKey()), kSpecRecipient);
  EXPECT_EQ(Text(identity.value().EncodeSecret()), kSpecIdentity);
}

TEST(X25519IdentityTest, EncodeSecretRoundTripKeepsPublicKey) {
  DeterministicRandom random(11);
  const auto identity = X25519Identity::Generate(random);
  const SecretBuffer secret = identity.EncodeSecret();
  EXPECT_EQ(Text(secret).substr(0, 16), "AGE-SECRET-KEY-1");
  auto parsed = X25519Identity::Parse(Text(secret));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().PublicKey(), identity.PublicKey());
}

// FiveBitGroups returns the Bech32 data characters of an encoded secret key
// as the 5-bit values a decoder works with.
std::vector<std::uint8_t> FiveBitGroups(std::string_view encoded, std::size_t count) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  std::vector<std::uint8_t> values;
  for (char c : encoded.substr(kIdentityHrp.size() + 1, count)) {
    const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    values.push_back(static_cast<std::uint8_t>(kCharset.find(lower)));
  }
  return values;
}

// identities.h promises that Parse wipes its intermediate copies of the
// secret; this fails while any copy reaches the allocator unwiped.
TEST(X25519IdentityRegressionTest, ParseLeavesNoUnwipedCopyOfTheSecretInFreedMemory) {
  if (!test::FreedMemoryProbe::kAvailable) GTEST_SKIP() << "no freed-memory probe under AddressSanitizer";
  DeterministicRandom random(31);
  const SecretBuffer secret = X25519Identity::Generate(random).EncodeSecret();
  const std::string_view text = Text(secret);
  const auto groups = FiveBitGroups(text, 40);
  std::size_t five_bit_hits = 0;
  {
    test::FreedMemoryProbe probe(groups);
    ASSERT_TRUE(X25519Identity::Parse(text).ok());
    five_bit_hits = probe.hits();
  }
  EXPECT_EQ(five_bit_hits, 0u) << "freed blocks still holding the secret as 5-bit groups";

  DeterministicRandom replay(31);
  std::array<std::uint8_t, 32> raw{};
  replay.Fill(raw);
  std::size_t raw_hits = 0;
  {
    test::FreedMemoryProbe probe{std::span<const std::uint8_t>(raw).first(24)};
    ASSERT_TRUE(X25519Identity::Parse(text).ok());
    raw_hits = probe.hits();
  }
  Wipe(raw);
  EXPECT_EQ(raw_hits, 0u) << "freed blocks still holding the secret bytes";
}

TEST(X25519IdentityTest, GenerateDrawsFromTheRandomSource) {
  DeterministicRandom a(12);
  DeterministicRandom b(12);
  DeterministicRandom c(13);
  const auto first = X25519Identity::Generate(a).PublicKey();
  EXPECT_EQ(X25519Identity::Generate(b).PublicKey(), first);
  EXPECT_NE(X25519Identity::Generate(c).PublicKey(), first);
}

TEST(X25519IdentityTest, RejectsLowerAndMixedCase) {
  std::string lower(kSpecIdentity);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(DecodeBech32(lower).has_value());
  ExpectInvalidKey(lower);
  std::string mixed(kSpecIdentity);
  mixed[0] = 'a';
  ExpectInvalidKey(mixed);
}

TEST(X25519IdentityTest, RejectsWrongHrpLengthOrChecksum) {
  const std::vector<std::uint8_t> bytes31(31, 0x42);
  const std::vector<std::uint8_t> bytes32(32, 0x42);
  const std::vector<std::uint8_t> bytes33(33, 0x42);
  ExpectInvalidKey(EncodeBech32("age-secret-key-", bytes31, Bech32Case::kUpper));
  ExpectInvalidKey(EncodeBech32("age-secret-key-", bytes33, Bech32Case::kUpper));
  ExpectInvalidKey(EncodeBech32("age-secret-key-pq-", bytes32, Bech32Case::kUpper));
  ExpectInvalidKey(EncodeBech32("age", bytes32, Bech32Case::kUpper));
  std::string corrupted(kSpecIdentity);
  corrupted.back() = corrupted.back() == 'X' ? 'Y' : 'X';
  ExpectInvalidKey(corrupted);
  ExpectInvalidKey("");
  ExpectInvalidKey(kSpecRecipient);
}

TEST(X25519IdentityTest, IgnoresStanzasOfOtherTypes) {
  DeterministicRandom random(14);
  const auto identity = X25519Identity::Generate(random);
  const std::vector<Stanza> stanzas = {Stanza{{"scrypt", "c2FsdA", "10"}, std::vector<std::uint8_t>(32)},
                                       Stanza{{"grease", "x"}, {}}};
  auto unwrapped = identity.Unwrap(stanzas);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_FALSE(unwrapped.value().has_value());
}

TEST(X25519IdentityTest, FindsItsStanzaAmongOthers) {
  DeterministicRandom random(15);
  const auto identity = X25519Identity::Generate(random);
  const auto other = X25519Identity::Generate(random);
  auto mine = X25519Recipient(identity.PublicKey()).Wrap(TestFileKey(), random);
  auto theirs = X25519Recipient(other.PublicKey()).Wrap(TestFileKey(), random);
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(theirs.ok());
  const std::vector<Stanza> stanzas = {theirs.value(), Stanza{{"grease"}, {}}, mine.value()};
  auto unwrapped = identity.Unwrap(stanzas);
  ASSERT_TRUE(unwrapped.ok());
  ASSERT_TRUE(unwrapped.value().has_value());
  EXPECT_TRUE(SameKey(*unwrapped.value(), TestFileKey()));

  auto not_mine = identity.Unwrap(std::span(&theirs.value(), 1));
  ASSERT_TRUE(not_mine.ok());
  EXPECT_FALSE(not_mine.value().has_value());
}

TEST(X25519IdentityTest, RejectsMalformedX25519Stanzas) {
  DeterministicRandom random(16);
  const auto identity = X25519Identity::Generate(random);
  auto good = X25519Recipient(identity.PublicKey()).Wrap(TestFileKey(), random);
  ASSERT_TRUE(good.ok());
  const std::string share = good.value().args[1];
  const std::vector<std::uint8_t> body = good.value().body;
  const std::string zero_share = EncodeBase64(std::vector<std::uint8_t>(32, 0), Base64Padding::kNone);
  const std::string short_share = EncodeBase64(std::vector<std::uint8_t>(31, 9), Base64Padding::kNone);
  const std::vector<Stanza> malformed = {
      Stanza{{"X25519"}, body},
      Stanza{{"X25519", share, "extra"}, body},
      Stanza{{"X25519", short_share}, body},
      Stanza{{"X25519", share + "A"}, body},
      Stanza{{"X25519", share}, std::vector<std::uint8_t>(body.begin(), body.end() - 1)},
      Stanza{{"X25519", share}, [&] { auto b = body; b.push_back(0); return b; }()},
      Stanza{{"X25519", zero_share}, body},
  };
  for (const Stanza& stanza : malformed) {
    auto unwrapped = identity.Unwrap(std::span(&stanza, 1));
    ASSERT_FALSE(unwrapped.ok()) << stanza.args.size() << " " << stanza.body.size();
    EXPECT_EQ(unwrapped.error(), Error::kHeader);
  }
}

TEST(ParseIdentityFileTest, ReadsKeygenFileWithCommentsAndTwoKeys) {
  DeterministicRandom random(17);
  const auto second = X25519Identity::Generate(random);
  const std::string content = "# created: 2024-05-01T00:00:00Z\n# public key: " +
                              std::string(kSpecRecipient) + "\n" + std::string(kSpecIdentity) +
                              "\n\n# created: 2024-05-02T00:00:00Z\r\n" +
                              std::string(Text(second.EncodeSecret())) + "\r\n";
  auto identities = ParseIdentityFile(content);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities.value().size(), 2u);
  EXPECT_EQ(EncodeRecipient(identities.value()[0].PublicKey()), kSpecRecipient);
  EXPECT_EQ(identities.value()[1].PublicKey(), second.PublicKey());
}

TEST(ParseIdentityFileTest, RejectsFileWithoutKeys) {
  for (std::string content : {"", "\n\n", "# created: 2024-05-01\n# public key: age1...\n"}) {
    auto identities = ParseIdentityFile(content);
    ASSERT_FALSE(identities.ok()) << content;
    EXPECT_EQ(identities.error(), Error::kInvalidKey);
  }
}

TEST(ParseIdentityFileTest, RejectsAnyOtherLine) {
  for (std::string content : {std::string(kSpecIdentity) + "\nnot a key\n",
                              std::string(kSpecRecipient) + "\n",
                              " " + std::string(kSpecIdentity) + "\n"}) {
    auto identities = ParseIdentityFile(content);
    ASSERT_FALSE(identities.ok()) << content;
    EXPECT_EQ(identities.error(), Error::kInvalidKey);
  }
}

TEST(ParseScryptWorkFactorTest, AcceptsOneToMaximum) {
  EXPECT_EQ(ParseScryptWorkFactor("1", limits::kMaxScryptLogN).value(), 1);
  EXPECT_EQ(ParseScryptWorkFactor("18", limits::kMaxScryptLogN).value(), 18);
  EXPECT_EQ(ParseScryptWorkFactor("22", limits::kMaxScryptLogN).value(), limits::kMaxScryptLogN);
}

TEST(ParseScryptWorkFactorTest, RejectsMaximumPlusOne) {
  auto parsed = ParseScryptWorkFactor("23", limits::kMaxScryptLogN);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(), Error::kHeader);
}

TEST(ParseScryptWorkFactorTest, HonoursALowerCeiling) {
  EXPECT_TRUE(ParseScryptWorkFactor("10", 10).ok());
  EXPECT_FALSE(ParseScryptWorkFactor("11", 10).ok());
}

TEST(ParseScryptWorkFactorTest, RejectsNonCanonicalDecimal) {
  for (std::string_view text : {"0", "01", "+1", "-1", "0x10", "1a", "", "999999999999", " 1",
                                "1 "}) {
    auto parsed = ParseScryptWorkFactor(text, limits::kMaxScryptLogN);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error(), Error::kHeader) << text;
  }
}

class ScryptIdentityTest : public ::testing::Test {
 protected:
  Stanza Wrap(std::string_view passphrase, int log_n) {
    DeterministicRandom random(18);
    auto stanza = ScryptRecipient(test::SecretText(passphrase), log_n).Wrap(TestFileKey(), random);
    if (!stanza.ok()) std::abort();
    return stanza.value();
  }
  static Result<std::optional<FileKey>> Unwrap(std::string_view passphrase,
                                               std::span<const Stanza> stanzas,
                                               int max_log_n = limits::kMaxScryptLogN) {
    return ScryptIdentity(test::SecretText(passphrase), max_log_n).Unwrap(stanzas);
  }
};

TEST_F(ScryptIdentityTest, OpensStanzaSealedWithItsPassphrase) {
  const Stanza stanza = Wrap("passphrase", 10);
  auto unwrapped = Unwrap("passphrase", std::span(&stanza, 1));
  ASSERT_TRUE(unwrapped.ok());
  ASSERT_TRUE(unwrapped.value().has_value());
  EXPECT_TRUE(SameKey(*unwrapped.value(), TestFileKey()));
}

TEST_F(ScryptIdentityTest, WrongPassphraseIsNoMatch) {
  const Stanza stanza = Wrap("passphrase", 10);
  auto unwrapped = Unwrap("passphrasE", std::span(&stanza, 1));
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_FALSE(unwrapped.value().has_value());
}

TEST_F(ScryptIdentityTest, HeaderWithoutScryptStanzaIsNoMatch) {
  const std::vector<Stanza> stanzas = {Stanza{{"X25519", "abc"}, {}}};
  auto unwrapped = Unwrap("passphrase", stanzas);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_FALSE(unwrapped.value().has_value());
}

TEST_F(ScryptIdentityTest, RefusesScryptStanzaThatIsNotAlone) {
  const Stanza scrypt = Wrap("passphrase", 10);
  DeterministicRandom random(19);
  auto x25519 = X25519Recipient(X25519Identity::Generate(random).PublicKey()).Wrap(TestFileKey(), random);
  ASSERT_TRUE(x25519.ok());
  for (const std::vector<Stanza>& stanzas :
       {std::vector<Stanza>{scrypt, x25519.value()}, std::vector<Stanza>{x25519.value(), scrypt},
        std::vector<Stanza>{scrypt, scrypt}}) {
    auto unwrapped = Unwrap("passphrase", stanzas);
    ASSERT_FALSE(unwrapped.ok());
    EXPECT_EQ(unwrapped.error(), Error::kHeader);
  }
}

TEST_F(ScryptIdentityTest, RefusesWorkFactorAboveItsCeiling) {
  const Stanza stanza = Wrap("passphrase", 10);
  auto unwrapped = Unwrap("passphrase", std::span(&stanza, 1), 9);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error(), Error::kHeader);
}

TEST_F(ScryptIdentityTest, CeilingCannotBeRaisedPastMaxScryptLogN) {
  Stanza stanza = Wrap("passphrase", 10);
  stanza.args[2] = std::to_string(limits::kMaxScryptLogN + 1);
  auto unwrapped = Unwrap("passphrase", std::span(&stanza, 1), 40);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error(), Error::kHeader);
}

TEST_F(ScryptIdentityTest, RejectsMalformedScryptStanzas) {
  const Stanza good = Wrap("passphrase", 10);
  const std::string salt = good.args[1];
  const std::string long_salt = EncodeBase64(std::vector<std::uint8_t>(17, 1), Base64Padding::kNone);
  const std::vector<Stanza> malformed = {
      Stanza{{"scrypt", salt}, good.body},
      Stanza{{"scrypt", salt, "10", "extra"}, good.body},
      Stanza{{"scrypt", long_salt, "10"}, good.body},
      Stanza{{"scrypt", salt.substr(1), "10"}, good.body},
      Stanza{{"scrypt", salt, "010"}, good.body},
      Stanza{{"scrypt", salt, "10"}, std::vector<std::uint8_t>(good.body.begin(), good.body.end() - 1)},
  };
  for (const Stanza& stanza : malformed) {
    auto unwrapped = Unwrap("passphrase", std::span(&stanza, 1));
    ASSERT_FALSE(unwrapped.ok()) << stanza.args.size();
    EXPECT_EQ(unwrapped.error(), Error::kHeader);
  }
}

}  // namespace
}  // namespace amparo::crypto::age
