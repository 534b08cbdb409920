// base64_test.cc: Base64 matches RFC 4648 in both padding modes and accepts
// only canonical encodings, as age requires of decoders.

#include "crypto/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "tests/support/byte_streams.h"

namespace amparo::crypto {
namespace {

struct Rfc4648Case {
  std::string_view plain;
  std::string_view padded;
  std::string_view unpadded;
};

// RFC 4648, section 10.
constexpr Rfc4648Case kRfc4648Cases[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

std::string Text(const std::optional<std::vector<std::uint8_t>>& bytes) {
  return std::string(AsText(*bytes));
}

TEST(Base64Test, EncodesRfc4648VectorsWithPadding) {
  for (const auto& c : kRfc4648Cases) {
    EXPECT_EQ(EncodeBase64(AsBytes(c.plain), Base64Padding::kRequired), c.padded);
  }
}

TEST(Base64Test, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& c : kRfc4648Cases) {
    EXPECT_EQ(EncodeBase64(AsBytes(c.plain), Base64Padding::kNone), c.unpadded);
  }
}

TEST(Base64Test, DecodesRfc4648VectorsInBothModes) {
  for (const auto& c : kRfc4648Cases) {
    const auto padded = DecodeBase64(c.padded, Base64Padding::kRequired);
    ASSERT_TRUE(padded.has_value()) << c.padded;
    EXPECT_EQ(Text(padded), c.plain);
    const auto unpadded = DecodeBase64(c.unpadded, Base64Padding::kNone);
    ASSERT_TRUE(unpadded.has_value()) << c.unpadded;
    EXPECT_EQ(Text(unpadded), c.plain);
  }
}

TEST(Base64Test, RejectsNonZeroTrailingBits) {
  const auto canonical = DecodeBase64("AQ", Base64Padding::kNone);
  ASSERT_TRUE(canonical.has_value());
  EXPECT_EQ(*canonical, std::vector<std::uint8_t>{0x01});
  EXPECT_FALSE(DecodeBase64("AR", Base64Padding::kNone).has_value());
  EXPECT_TRUE(DecodeBase64("AQ==", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("AR==", Base64Padding::kRequired).has_value());
  EXPECT_TRUE(DecodeBase64("AAE", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("AAF", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("AAF=", Base64Padding::kRequired).has_value());
}

TEST(Base64Test, UnpaddedModeRejectsPadding) {
  EXPECT_FALSE(DecodeBase64("Zg==", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("Zm8=", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("Zm9v=", Base64Padding::kNone).has_value());
}

TEST(Base64Test, PaddedModeRequiresPadding) {
  EXPECT_FALSE(DecodeBase64("Zg", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Zm8", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Zg=", Base64Padding::kRequired).has_value());
}

TEST(Base64Test, PaddedModeRejectsMisplacedOrExcessPadding) {
  EXPECT_FALSE(DecodeBase64("Zg===", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Z===", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("====", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Zg==Zg==", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Z=g=", Base64Padding::kRequired).has_value());
  EXPECT_FALSE(DecodeBase64("Zm9v====", Base64Padding::kRequired).has_value());
}

TEST(Base64Test, RejectsImpossibleLength) {
  EXPECT_FALSE(DecodeBase64("Z", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("Zm9vY", Base64Padding::kNone).has_value());
  EXPECT_FALSE(DecodeBase64("Zm9vY", Base64Padding::kRequired).has_value());
}

TEST(Base64Test, RejectsCharactersOutsideStandardAlphabet) {
  for (std::string_view text : {"Zm9-", "Zm9_", "Zm 9", "Zm9v\n", "Zm9\x80", "Zm9."}) {
    EXPECT_FALSE(DecodeBase64(text, Base64Padding::kNone).has_value()) << text;
  }
}

TEST(Base64Test, RoundTripsEveryLengthUpTo100) {
  for (std::size_t size = 0; size <= 100; ++size) {
    const auto data = test::PatternBytes(size);
    for (auto padding : {Base64Padding::kNone, Base64Padding::kRequired}) {
      const std::string text = EncodeBase64(data, padding);
      EXPECT_EQ(text.size(), padding == Base64Padding::kRequired ? (size + 2) / 3 * 4
                                                                 : (size * 4 + 2) / 3);
      const auto decoded = DecodeBase64(text, padding);
      ASSERT_TRUE(decoded.has_value()) << size;
      EXPECT_EQ(*decoded, data);
    }
  }
}

TEST(Base64Test, IsBase64CharAcceptsExactlyTheAlphabet) {
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  int accepted = 0;
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool expected = alphabet.find(ch) != std::string_view::npos;
    EXPECT_EQ(IsBase64Char(ch), expected) << c;
    accepted += IsBase64Char(ch) ? 1 : 0;
  }
  EXPECT_EQ(accepted, 64);
}

}  // namespace
}  // namespace amparo::crypto
