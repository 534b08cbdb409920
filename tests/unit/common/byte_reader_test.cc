// byte_reader_test.cc: ByteReader reads only within its span, a failed read
// consumes nothing, and ReadLine honours its length bound at N and N+1.

#include "common/byte_reader.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace amparo {
namespace {

TEST(ByteReaderTest, ReadBytesConsumesExactlyWhatItReturns) {
  ByteReader reader(std::string_view("abcdef"));
  std::span<const std::uint8_t> out;
  ASSERT_TRUE(reader.ReadBytes(4, &out));
  EXPECT_EQ(AsText(out), "abcd");
  EXPECT_EQ(reader.remaining(), 2u);
  EXPECT_EQ(AsText(reader.rest()), "ef");
}

TEST(ByteReaderTest, FailedReadBytesConsumesNothing) {
  ByteReader reader(std::string_view("abc"));
  std::span<const std::uint8_t> out;
  EXPECT_FALSE(reader.ReadBytes(4, &out));
  EXPECT_EQ(reader.remaining(), 3u);
  EXPECT_EQ(AsText(reader.rest()), "abc");
}

TEST(ByteReaderTest, ReadBytesOfAllRemainingLeavesReaderEmpty) {
  ByteReader reader(std::string_view("abc"));
  std::span<const std::uint8_t> out;
  ASSERT_TRUE(reader.ReadBytes(3, &out));
  EXPECT_TRUE(reader.empty());
  EXPECT_FALSE(reader.ReadBytes(1, &out));
}

TEST(ByteReaderTest, ReadU8TakesOneByteAndFailsWhenEmpty) {
  ByteReader reader(std::string_view("\x7f"));
  std::uint8_t byte = 0;
  ASSERT_TRUE(reader.ReadU8(&byte));
  EXPECT_EQ(byte, 0x7f);
  byte = 42;
  EXPECT_FALSE(reader.ReadU8(&byte));
  EXPECT_EQ(byte, 42);
}

TEST(ByteReaderTest, FailedSkipConsumesNothing) {
  ByteReader reader(std::string_view("abc"));
  EXPECT_FALSE(reader.Skip(4));
  EXPECT_EQ(reader.remaining(), 3u);
  EXPECT_TRUE(reader.Skip(2));
  EXPECT_EQ(AsText(reader.rest()), "c");
}

TEST(ByteReaderTest, ReadLineReturnsLineWithoutNewlineAndConsumesIt) {
  ByteReader reader(std::string_view("one\ntwo\n"));
  std::span<const std::uint8_t> line;
  ASSERT_TRUE(reader.ReadLine(10, &line));
  EXPECT_EQ(AsText(line), "one");
  EXPECT_EQ(AsText(reader.rest()), "two\n");
}

TEST(ByteReaderTest, ReadLineAcceptsLineOfExactlyMaxLength) {
  ByteReader reader(std::string_view("abcd\nrest"));
  std::span<const std::uint8_t> line;
  ASSERT_TRUE(reader.ReadLine(4, &line));
  EXPECT_EQ(AsText(line), "abcd");
  EXPECT_EQ(AsText(reader.rest()), "rest");
}

TEST(ByteReaderTest, ReadLineRejectsLineOfMaxLengthPlusOneAndConsumesNothing) {
  ByteReader reader(std::string_view("abcde\nrest"));
  std::span<const std::uint8_t> line;
  EXPECT_FALSE(reader.ReadLine(4, &line));
  EXPECT_EQ(AsText(reader.rest()), "abcde\nrest");
}

TEST(ByteReaderTest, ReadLineWithoutNewlineFailsAndConsumesNothing) {
  ByteReader reader(std::string_view("abc"));
  std::span<const std::uint8_t> line;
  EXPECT_FALSE(reader.ReadLine(100, &line));
  EXPECT_EQ(reader.remaining(), 3u);
}

TEST(ByteReaderTest, ReadLineAcceptsEmptyLine) {
  ByteReader reader(std::string_view("\nx"));
  std::span<const std::uint8_t> line;
  ASSERT_TRUE(reader.ReadLine(0, &line));
  EXPECT_TRUE(line.empty());
  EXPECT_EQ(AsText(reader.rest()), "x");
}

TEST(ByteReaderTest, ReadLineKeepsCarriageReturn) {
  ByteReader reader(std::string_view("ab\r\n"));
  std::span<const std::uint8_t> line;
  ASSERT_TRUE(reader.ReadLine(3, &line));
  EXPECT_EQ(AsText(line), "ab\r");
}

// The header's contract ("within the first max_length + 1 bytes") holds for
// every max_length; this fails while max_length + 1 wraps around to zero.
TEST(ByteReaderRegressionTest, ReadLineWithLargestLengthBoundStillFindsTheLine) {
  ByteReader reader(std::string_view("abc\nrest"));
  std::span<const std::uint8_t> line;
  ASSERT_TRUE(reader.ReadLine(std::numeric_limits<std::size_t>::max(), &line));
  EXPECT_EQ(AsText(line), "abc");
}

TEST(ByteReaderTest, StartsWithDoesNotConsume) {
  ByteReader reader(std::string_view("---abc"));
  EXPECT_TRUE(reader.StartsWith("---"));
  EXPECT_TRUE(reader.StartsWith(""));
  EXPECT_FALSE(reader.StartsWith("-- "));
  EXPECT_FALSE(reader.StartsWith("---abcd"));
  EXPECT_EQ(reader.remaining(), 6u);
}

TEST(ByteReaderTest, ConsumePrefixSkipsOnlyOnMatch) {
  ByteReader reader(std::string_view("-> X25519"));
  EXPECT_FALSE(reader.ConsumePrefix("->X"));
  EXPECT_EQ(reader.remaining(), 9u);
  EXPECT_TRUE(reader.ConsumePrefix("-> "));
  EXPECT_EQ(AsText(reader.rest()), "X25519");
}

TEST(ByteReaderTest, ConsumePrefixLongerThanDataFails) {
  ByteReader reader(std::string_view("ab"));
  EXPECT_FALSE(reader.ConsumePrefix("abc"));
  EXPECT_EQ(reader.remaining(), 2u);
}

TEST(ByteReaderTest, ReadsNothingBeyondTheSpan) {
  const std::string backing = "abc\ndef";
  ByteReader reader(AsBytes(std::string_view(backing).substr(0, 3)));
  std::span<const std::uint8_t> line;
  EXPECT_FALSE(reader.ReadLine(10, &line));
  EXPECT_FALSE(reader.StartsWith("abc\n"));
}

TEST(ByteReaderTest, AsTextAndAsBytesViewTheSameMemory) {
  const std::string text("\x00\xff z", 4);
  const auto bytes = AsBytes(text);
  ASSERT_EQ(bytes.size(), text.size());
  EXPECT_EQ(static_cast<const void*>(bytes.data()), static_cast<const void*>(text.data()));
  EXPECT_EQ(bytes[1], 0xff);
  EXPECT_EQ(AsText(bytes), text);
}

}  // namespace
}  // namespace amparo
