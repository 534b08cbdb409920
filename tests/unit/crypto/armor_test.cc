// armor_test.cc: ArmorSink writes strict age armor (64-column lines, padded
// Base64) that ArmorSource reads back for every size, and ArmorSource rejects
// every departure from the strict form, including lines past 64 columns.

#include "crypto/armor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/base64.h"
#include "tests/support/byte_streams.h"

namespace amparo::crypto::age {
namespace {

using test::PatternBytes;

std::string Armor(std::span<const std::uint8_t> data) {
  VectorSink out;
  ArmorSink sink(out);
  EXPECT_TRUE(sink.Write(data).ok());
  EXPECT_TRUE(sink.Finish().ok());
  return std::string(AsText(out.bytes()));
}

Result<std::vector<std::uint8_t>> Dearmor(std::string_view text) {
  SpanSource inner(AsBytes(text));
  ArmorSource source(inner);
  return test::Drain(source);
}

void ExpectArmorError(std::string_view text) {
  auto result = Dearmor(text);
  ASSERT_FALSE(result.ok()) << text;
  EXPECT_EQ(result.error(), Error::kArmor) << text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Begin() { return std::string(kArmorBegin) + "\n"; }
std::string End() { return std::string(kArmorEnd) + "\n"; }

TEST(ArmorTest, RoundTripsEverySize) {
  for (std::size_t size : {0u, 1u, 47u, 48u, 49u, 4096u, (1u << 20) + 3u}) {
    const auto data = PatternBytes(size);
    const std::string armored = Armor(data);
    auto decoded = Dearmor(armored);
    ASSERT_TRUE(decoded.ok()) << size;
    EXPECT_EQ(decoded.value(), data) << size;
  }
}

TEST(ArmorTest, EveryLineButTheLastIs64Columns) {
  for (std::size_t size : {1u, 47u, 48u, 49u, 4096u, 100000u}) {
    const auto lines = Lines(Armor(PatternBytes(size)));
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines.front(), kArmorBegin);
    EXPECT_EQ(lines.back(), kArmorEnd);
    const std::size_t data_lines = lines.size() - 2;
    EXPECT_EQ(data_lines, (size + 47) / 48) << size;
    for (std::size_t i = 1; i + 2 < lines.size(); ++i) {
      ASSERT_EQ(lines[i].size(), kArmorColumns) << size << " line " << i;
    }
    const std::string& last = lines[lines.size() - 2];
    EXPECT_GT(last.size(), 0u);
    EXPECT_LE(last.size(), kArmorColumns);
    EXPECT_EQ(last.size() % 4, 0u);
  }
}

TEST(ArmorTest, EmptyInputIsBeginAndEndOnly) {
  EXPECT_EQ(Armor({}), Begin() + End());
}

TEST(ArmorTest, OutputDoesNotDependOnWriteSizes) {
  const auto data = PatternBytes(5000);
  VectorSink out;
  ArmorSink sink(out);
  for (std::size_t offset = 0, step = 1; offset < data.size(); offset += step, step = step * 2 + 1) {
    ASSERT_TRUE(sink.Write(std::span(data).subspan(offset, std::min(step, data.size() - offset))).ok());
  }
  ASSERT_TRUE(sink.Finish().ok());
  EXPECT_EQ(AsText(out.bytes()), Armor(data));
}

TEST(ArmorTest, SinkPassesInnerErrorThrough) {
  test::FailingSink inner(10);
  ArmorSink sink(inner);
  const auto data = PatternBytes(100000);
  Status status = sink.Write(data);
  if (status.ok()) status = sink.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
}

TEST(ArmorTest, AcceptsCrlfLineEnds) {
  const auto data = PatternBytes(200);
  std::string crlf;
  for (char c : Armor(data)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto decoded = Dearmor(crlf);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), data);
}

TEST(ArmorTest, AcceptsWhitespaceAroundTheArmor) {
  const auto data = PatternBytes(10);
  auto decoded = Dearmor(" \t\r\n\n" + Armor(data) + "\n \t\r\n");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), data);
}

TEST(ArmorTest, LeadingWhitespaceUpToTheLimitAcceptedOneMoreRejected) {
  const auto data = PatternBytes(10);
  const std::string at_limit(limits::kMaxArmorLeadingWhitespace, '\n');
  auto decoded = Dearmor(at_limit + Armor(data));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), data);
  ExpectArmorError(at_limit + " " + Armor(data));
}

TEST(LooksArmoredTest, SeesTheBeginMarkerAfterTheLongestAcceptedWhitespace) {
  const std::string text(limits::kMaxArmorLeadingWhitespace, ' ');
  const std::string armored = text + Armor(PatternBytes(3));
  ASSERT_GE(armored.size(), kArmorDetectionBytes);
  EXPECT_TRUE(LooksArmored(AsBytes(armored).first(kArmorDetectionBytes)));
  EXPECT_FALSE(LooksArmored(AsBytes(" " + armored).first(kArmorDetectionBytes)));
}

TEST(ArmorTest, Line64ColumnsAcceptedAnd65Rejected) {
  const std::string full = EncodeBase64(PatternBytes(48), Base64Padding::kRequired);
  ASSERT_EQ(full.size(), 64u);
  auto ok = Dearmor(Begin() + full + "\nAAAA\n" + End());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().size(), 51u);
  ExpectArmorError(Begin() + full + "A\nAAA=\n" + End());
  // 68 columns is valid Base64 on its own; only the width rejects it.
  ExpectArmorError(Begin() + full + "AAAA\n" + End());
}

TEST(ArmorTest, Line64ColumnsWithCarriageReturnAccepted) {
  const std::string full = EncodeBase64(PatternBytes(48), Base64Padding::kRequired);
  EXPECT_TRUE(Dearmor(Begin() + full + "\r\nAAAA\r\n" + End()).ok());
  ExpectArmorError(Begin() + full + "\r\r\nAAAA\n" + End());
}

TEST(ArmorTest, RejectsShortLineBeforeTheLast) {
  ExpectArmorError(Begin() + "AAAA\nAAAA\n" + End());
}

TEST(ArmorTest, RejectsPaddedLineBeforeTheLast) {
  const std::string padded_full = std::string(60, 'A') + "AA==";
  ExpectArmorError(Begin() + padded_full + "\nAAAA\n" + End());
}

TEST(ArmorTest, RejectsEmptyLines) {
  ExpectArmorError(Begin() + "\nAAAA\n" + End());
  ExpectArmorError(Begin() + "AAAA\n\n" + End());
}

TEST(ArmorTest, RejectsHeaders) {
  ExpectArmorError(Begin() + "Version: 1\n\nAAAA\n" + End());
}

TEST(ArmorTest, RejectsNonCanonicalOrUnpaddedBase64) {
  ExpectArmorError(Begin() + "AR==\n" + End());
  ExpectArmorError(Begin() + "AQ\n" + End());
  ExpectArmorError(Begin() + "AQ=\n" + End());
  ExpectArmorError(Begin() + "AA-_\n" + End());
}

TEST(ArmorTest, RejectsMissingOrWrongMarkers) {
  ExpectArmorError("AAAA\n" + End());
  ExpectArmorError(Begin() + "AAAA\n");
  ExpectArmorError(Begin() + "AAAA\n-----END AGE ENCRYPTED FILE----\n");
  ExpectArmorError("-----BEGIN PGP MESSAGE-----\nAAAA\n" + End());
  ExpectArmorError(std::string(kArmorBegin));
  ExpectArmorError("");
  ExpectArmorError(" \n\t");
}

TEST(ArmorTest, RejectsGarbageOutsideTheArmor) {
  ExpectArmorError("x" + Begin() + "AAAA\n" + End());
  ExpectArmorError(Begin() + "AAAA\n" + End() + "x");
  ExpectArmorError(Begin() + "AAAA\n" + End() + "\n" + Begin());
}

TEST(ArmorTest, AcceptsEndLineWithoutNewline) {
  auto decoded = Dearmor(Begin() + "AAAA\n" + std::string(kArmorEnd));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), std::vector<std::uint8_t>(3, 0));
}

TEST(ArmorTest, SourcePassesInnerErrorThrough) {
  test::FailingSource inner(0);
  ArmorSource source(inner);
  std::array<std::uint8_t, 8> out{};
  auto n = source.Read(out);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), Error::kIo);
}

TEST(ArmorTest, SourceDecodesFromOneByteReads) {
  const auto data = PatternBytes(1000);
  const std::string armored = Armor(data);
  test::TrickleSource inner(AsBytes(armored), 1);
  ArmorSource source(inner);
  auto decoded = test::Drain(source);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), data);
}

TEST(LooksArmoredTest, DetectsBeginMarkerAfterWhitespace) {
  EXPECT_TRUE(LooksArmored(AsBytes(Begin())));
  EXPECT_TRUE(LooksArmored(AsBytes(" \t\r\n" + Begin())));
  EXPECT_TRUE(LooksArmored(AsBytes(std::string(kArmorBegin))));
}

TEST(LooksArmoredTest, RejectsGarbageOrBinaryOrTruncatedPrefix) {
  EXPECT_FALSE(LooksArmored(AsBytes("x" + Begin())));
  EXPECT_FALSE(LooksArmored(AsBytes("age-encryption.org/v1\n")));
  EXPECT_FALSE(LooksArmored(AsBytes(kArmorBegin.substr(0, 20))));
  EXPECT_FALSE(LooksArmored({}));
  EXPECT_FALSE(LooksArmored(AsBytes("   ")));
}

}  // namespace
}  // namespace amparo::crypto::age
