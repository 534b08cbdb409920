// bech32_test.cc: Bech32 decodes the BIP 173 valid strings, rejects the
// invalid ones and non-canonical padding, and round-trips age key payloads
// beyond BIP 173's 90-character limit.

#include "crypto/bech32.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/byte_streams.h"
#include "tests/support/hex.h"

namespace amparo::crypto {
namespace {

TEST(Bech32Test, DecodesBip173ValidStrings) {
  const std::string q82(82, 'q');
  const std::string valid[] = {
      "A12UEL5L",
      "a12uel5l",
      "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
      "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
      "11" + q82 + "c8247j",
      "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
      "?1ezyfcl",
  };
  for (const std::string& text : valid) {
    EXPECT_TRUE(DecodeBech32(text).has_value()) << text;
  }
}

TEST(Bech32Test, DecodesHrpInLowerCaseAndPayloadBytes) {
  const auto upper = DecodeBech32("A12UEL5L");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper->hrp, "a");
  EXPECT_TRUE(upper->data.empty());

  const auto decoded = DecodeBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->hrp, "abcdef");
  EXPECT_EQ(decoded->data, test::FromHex("00443214c74254b635cf84653a56d7c675be77df"));
}

TEST(Bech32Test, RejectsBip173InvalidStrings) {
  const std::string invalid[] = {
      std::string(" 1nwldj5"),     // HRP character out of range
      std::string("\x7f" "1axkwrx"),  // HRP character out of range
      std::string("\x80" "1eym55h"),  // HRP character out of range
      "pzry9x0s0muk",              // no separator
      "1pzry9x0s0muk",             // empty HRP
      "x1b4n0q5v",                 // invalid data character
      "li1dgmt3",                  // checksum too short
      std::string("de1lg7wt\xff"),  // invalid character in checksum
      "A1G7SGD8",                  // checksum computed over upper-case HRP
      "10a06t8",                   // empty HRP
      "1qzzfhee",                  // empty HRP
  };
  for (const std::string& text : invalid) {
    EXPECT_FALSE(DecodeBech32(text).has_value()) << text;
  }
}

TEST(Bech32Test, RejectsMixedCase) {
  EXPECT_FALSE(DecodeBech32("a12UEL5L").has_value());
  EXPECT_FALSE(DecodeBech32("A12uEL5L").has_value());
}

TEST(Bech32Test, RejectsBadChecksum) {
  ASSERT_TRUE(DecodeBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").has_value());
  EXPECT_FALSE(DecodeBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxq").has_value());
  EXPECT_FALSE(DecodeBech32("abcdef1ppzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").has_value());
  EXPECT_FALSE(DecodeBech32("abcdeg1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").has_value());
}

TEST(Bech32Test, PaddingBitsMustBeZeroAndShort) {
  // Two 5-bit groups carry one byte and two padding bits; checksums from
  // tests/support/known_answers.py.
  const auto zero_padding = DecodeBech32("a1qqqd87cq");
  ASSERT_TRUE(zero_padding.has_value());
  EXPECT_EQ(zero_padding->data, std::vector<std::uint8_t>{0x00});
  EXPECT_FALSE(DecodeBech32("a1qpamnt9j").has_value());   // padding bits 01
  EXPECT_FALSE(DecodeBech32("a1qqqd87cpp").has_value());  // a whole group of padding
}

TEST(Bech32Test, RoundTripsInBothCases) {
  const auto data = test::PatternBytes(32);
  const std::string lower = EncodeBech32("age", data, Bech32Case::kLower);
  EXPECT_EQ(lower.substr(0, 4), "age1");
  const auto from_lower = DecodeBech32(lower);
  ASSERT_TRUE(from_lower.has_value());
  EXPECT_EQ(from_lower->hrp, "age");
  EXPECT_EQ(from_lower->data, data);

  const std::string upper = EncodeBech32("age-secret-key-", data, Bech32Case::kUpper);
  EXPECT_EQ(upper.substr(0, 16), "AGE-SECRET-KEY-1");
  const auto from_upper = DecodeBech32(upper);
  ASSERT_TRUE(from_upper.has_value());
  EXPECT_EQ(from_upper->hrp, "age-secret-key-");
  EXPECT_EQ(from_upper->data, data);
}

TEST(Bech32Test, RoundTripsPayloadsBeyondNinetyCharacters) {
  for (std::size_t size : {0u, 1u, 31u, 33u, 100u, 1200u}) {
    const auto data = test::PatternBytes(size);
    const std::string text = EncodeBech32("age1pq", data, Bech32Case::kLower);
    const auto decoded = DecodeBech32(text);
    ASSERT_TRUE(decoded.has_value()) << size;
    EXPECT_EQ(decoded->hrp, "age1pq");
    EXPECT_EQ(decoded->data, data);
  }
}

TEST(Bech32Test, EveryCharacterSubstitutionBreaksTheChecksum) {
  const std::string text = EncodeBech32("age", test::PatternBytes(32), Bech32Case::kLower);
  for (std::size_t i = 4; i < text.size(); ++i) {
    std::string changed = text;
    changed[i] = changed[i] == 'q' ? 'p' : 'q';
    EXPECT_FALSE(DecodeBech32(changed).has_value()) << i;
  }
}

}  // namespace
}  // namespace amparo::crypto
