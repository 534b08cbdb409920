// plaintext_framing_test.cc: the framed plaintext is u32be(S), the
// Submission, the attachments in order and zeros up to P, whatever the read
// sizes; attachments of the wrong length fail; limits at N and N + 1.

#include "protocol/plaintext_framing.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/limits.h"
#include "protocol/padme.h"
#include "tests/support/byte_streams.h"

namespace amparo::protocol {
namespace {

std::vector<std::uint8_t> ReadAll(ByteSource& source, std::size_t block) {
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> buffer(block);
  while (true) {
    auto n = source.Read(buffer);
    EXPECT_TRUE(n.ok());
    if (!n.ok() || n.value() == 0) return out;
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
}

TEST(PlaintextFramingTest, FramesInOrderAndPadsWithZeros) {
  const std::vector<std::uint8_t> submission = {0x0a, 0x01, 0x41};
  const std::vector<std::uint8_t> first = {1, 2, 3, 4, 5};
  const std::vector<std::uint8_t> second = {6, 7};
  for (std::size_t block : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{4096},
                            std::size_t{10000}}) {
    amparo::test::TrickleSource a(first, 2);
    SpanSource empty({});
    amparo::test::TrickleSource b(second, 1);
    const AttachmentStream streams[] = {{&a, 5}, {&empty, 0}, {&b, 2}};
    auto content = FramedContentLength(submission.size(), streams);
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(content.value(), 4u + 3 + 5 + 2);
    FramedPlaintextSource source(submission, streams, 4096);
    const auto plaintext = ReadAll(source, block);
    ASSERT_EQ(plaintext.size(), 4096u) << block;
    const std::vector<std::uint8_t> head = {0, 0, 0, 3, 0x0a, 0x01, 0x41, 1, 2, 3, 4, 5, 6, 7};
    EXPECT_TRUE(std::equal(head.begin(), head.end(), plaintext.begin())) << block;
    EXPECT_TRUE(std::all_of(plaintext.begin() + 14, plaintext.end(),
                            [](std::uint8_t byte) { return byte == 0; }));
  }
}

TEST(PlaintextFramingTest, ShortAndLongAttachmentsFail) {
  const std::vector<std::uint8_t> submission = {1};
  const std::vector<std::uint8_t> data(10, 7);
  for (std::uint64_t declared : {std::uint64_t{9}, std::uint64_t{11}}) {
    SpanSource source(data);
    const AttachmentStream streams[] = {{&source, declared}};
    FramedPlaintextSource framed(submission, streams, 4096);
    std::vector<std::uint8_t> buffer(4096);
    Result<std::size_t> n = std::size_t{1};
    while (n.ok() && n.value() != 0) n = framed.Read(buffer);
    ASSERT_FALSE(n.ok()) << declared;
    EXPECT_EQ(n.error(), Error::kInvalidArgument);
  }
}

TEST(PlaintextFramingTest, LimitsAtNAndNPlusOne) {
  EXPECT_TRUE(FramedContentLength(limits::kMaxSubmissionMessageBytes, {}).ok());
  auto over = FramedContentLength(limits::kMaxSubmissionMessageBytes + 1, {});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
  auto zero = FramedContentLength(0, {});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error(), Error::kInvalidArgument);

  std::vector<AttachmentStream> streams(limits::kMaxAttachments);
  EXPECT_TRUE(FramedContentLength(1, streams).ok());
  streams.emplace_back();
  auto too_many = FramedContentLength(1, streams);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error(), Error::kLimitExceeded);

  const AttachmentStream fits[] = {{nullptr, kLargestPaddedBucket - 5}};
  auto at = FramedContentLength(1, fits);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at.value(), kLargestPaddedBucket);
  const AttachmentStream beyond[] = {{nullptr, kLargestPaddedBucket - 4}};
  EXPECT_FALSE(FramedContentLength(1, beyond).ok());
}

}  // namespace
}  // namespace amparo::protocol
