// io_test.cc: ReadFull fills its buffer over sources that deliver a byte at a
// time, PrefixedSource replays its prefix before the rest, and the span source
// and vector sink move bytes unchanged.

#include "common/io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "common/byte_reader.h"
#include "tests/support/byte_streams.h"

namespace amparo {
namespace {

using test::TrickleSource;

TEST(ReadFullTest, FillsBufferFromOneByteReads) {
  const auto data = test::PatternBytes(100);
  TrickleSource source(data, 1);
  std::vector<std::uint8_t> out(100);
  auto n = ReadFull(source, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 100u);
  EXPECT_EQ(out, data);
  EXPECT_GE(source.reads(), 100u);
}

TEST(ReadFullTest, ReturnsShortCountAtEndOfInput) {
  const auto data = test::PatternBytes(10);
  TrickleSource source(data, 3);
  std::vector<std::uint8_t> out(16, 0xee);
  auto n = ReadFull(source, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 10u);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), out.begin()));
  EXPECT_EQ(out[10], 0xee);
}

TEST(ReadFullTest, StopsAtBufferSizeLeavingTheRestUnread) {
  const auto data = test::PatternBytes(10);
  SpanSource source(data);
  std::vector<std::uint8_t> first(4);
  ASSERT_EQ(ReadFull(source, first).value(), 4u);
  std::vector<std::uint8_t> second(10);
  ASSERT_EQ(ReadFull(source, second).value(), 6u);
  EXPECT_EQ(second[0], data[4]);
}

TEST(ReadFullTest, PassesSourceErrorThrough) {
  test::FailingSource source(5);
  std::vector<std::uint8_t> out(10);
  auto n = ReadFull(source, out);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), Error::kIo);
}

TEST(ReadFullTest, EmptyBufferReadsNothing) {
  test::FailingSource source(0);
  auto n = ReadFull(source, std::span<std::uint8_t>());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 0u);
}

TEST(SpanSourceTest, ReturnsZeroAtEnd) {
  const auto data = test::PatternBytes(3);
  SpanSource source(data);
  std::vector<std::uint8_t> out(8);
  EXPECT_EQ(source.Read(out).value(), 3u);
  EXPECT_EQ(source.Read(out).value(), 0u);
}

TEST(PrefixedSourceTest, ReplaysPrefixThenRest) {
  const std::string prefix = "header bytes|";
  const std::string rest = "payload";
  SpanSource rest_source(AsBytes(rest));
  PrefixedSource source(AsBytes(prefix), rest_source);
  auto all = test::Drain(source);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(AsText(all.value()), "header bytes|payload");
}

TEST(PrefixedSourceTest, ReplaysPrefixAcrossSmallReads) {
  const std::string prefix = "abc";
  const std::string rest = "defg";
  TrickleSource rest_source(AsBytes(rest), 2);
  PrefixedSource source(AsBytes(prefix), rest_source);
  std::vector<std::uint8_t> out(7);
  std::size_t filled = 0;
  std::array<std::uint8_t, 2> small{};
  while (true) {
    auto n = source.Read(small);
    ASSERT_TRUE(n.ok());
    if (n.value() == 0) break;
    ASSERT_LE(filled + n.value(), out.size());
    std::copy_n(small.begin(), n.value(), out.begin() + static_cast<std::ptrdiff_t>(filled));
    filled += n.value();
  }
  EXPECT_EQ(filled, 7u);
  EXPECT_EQ(AsText(out), "abcdefg");
}

TEST(PrefixedSourceTest, EmptyPrefixReadsRestDirectly) {
  const std::string rest = "xyz";
  SpanSource rest_source(AsBytes(rest));
  PrefixedSource source({}, rest_source);
  auto all = test::Drain(source);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(AsText(all.value()), "xyz");
}

TEST(PrefixedSourceTest, PassesRestErrorThroughAfterPrefix) {
  const std::string prefix = "ab";
  test::FailingSource rest_source(0);
  PrefixedSource source(AsBytes(prefix), rest_source);
  std::vector<std::uint8_t> out(8);
  auto n = ReadFull(source, out);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), Error::kIo);
}

TEST(VectorSinkTest, AppendsWritesInOrder) {
  VectorSink sink;
  ASSERT_TRUE(sink.Write(AsBytes("ab")).ok());
  ASSERT_TRUE(sink.Write({}).ok());
  ASSERT_TRUE(sink.Write(AsBytes("c")).ok());
  EXPECT_EQ(AsText(sink.bytes()), "abc");
}

}  // namespace
}  // namespace amparo
