// keys_test.cc: recipients encode and parse as in the age specification, and
// ParseRecipient accepts exactly one spelling of a 32-byte "age" key.

#include "crypto/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "crypto/bech32.h"
#include "tests/support/hex.h"

namespace amparo::crypto {
namespace {

// The example recipient of the age specification, whose identity is
// AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX.
constexpr std::string_view kSpecRecipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
constexpr std::string_view kSpecRecipientHex =
    "132c442be010fbd57e72603328aa76e71fccc1503aae219327d14d9c9993f472";

X25519PublicKey SpecKey() {
  X25519PublicKey key;
  const auto bytes = test::FromHex(kSpecRecipientHex);
  std::copy(bytes.begin(), bytes.end(), key.bytes.begin());
  return key;
}

TEST(RecipientTest, ParsesSpecExample) {
  auto key = ParseRecipient(kSpecRecipient);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(test::ToHex(key.value().bytes), kSpecRecipientHex);
}

TEST(RecipientTest, EncodesSpecExample) {
  EXPECT_EQ(EncodeRecipient(SpecKey()), kSpecRecipient);
}

TEST(RecipientTest, RejectsUpperCase) {
  std::string upper(kSpecRecipient);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_TRUE(DecodeBech32(upper).has_value());
  auto key = ParseRecipient(upper);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error(), Error::kInvalidKey);
}

// The wrong-hrp and wrong-length strings below carry valid checksums, from
// tests/support/known_answers.py, so only the check under test rejects them.
TEST(RecipientTest, RejectsWrongHrp) {
  constexpr std::string_view kAgx =
      "agx1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73eqkrfqh9";
  ASSERT_TRUE(DecodeBech32(kAgx).has_value());
  auto key = ParseRecipient(kAgx);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error(), Error::kInvalidKey);
}

TEST(RecipientTest, RejectsIdentityString) {
  auto key = ParseRecipient("age-secret-key-1gfpyysjzgfpyysjzgfpyysjzgfpyysjzgfpyysjzgfpyysjzgfpq4egaex");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error(), Error::kInvalidKey);
}

TEST(RecipientTest, RejectsPayloadsOtherThan32Bytes) {
  for (std::string_view text : {"age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqar9jk6",
                                "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzhlqeg"}) {
    ASSERT_TRUE(DecodeBech32(text).has_value()) << text;
    auto key = ParseRecipient(text);
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.error(), Error::kInvalidKey);
  }
}

TEST(RecipientTest, RejectsBadChecksumAndGarbage) {
  std::string corrupted(kSpecRecipient);
  corrupted.back() = corrupted.back() == 'j' ? 'k' : 'j';
  for (std::string_view text : {std::string_view(corrupted), std::string_view(""),
                                std::string_view("age1"), std::string_view("not a key")}) {
    auto key = ParseRecipient(text);
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.error(), Error::kInvalidKey);
  }
}

TEST(RecipientTest, RoundTripsArbitraryKey) {
  X25519PublicKey key;
  for (std::size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<std::uint8_t>(255 - i);
  auto parsed = ParseRecipient(EncodeRecipient(key));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), key);
}

}  // namespace
}  // namespace amparo::crypto
