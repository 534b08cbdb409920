#include "submit/envelope_buffer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <numeric>

#include "tests/support/temp_dir.h"

namespace amparo::submit {
namespace {

std::vector<std::uint8_t> Sequence(std::size_t size, std::uint8_t start = 0) {
  std::vector<std::uint8_t> data(size);
  std::iota(data.begin(), data.end(), start);
  return data;
}

TEST(EnvelopeBufferTest, KeepsUpToItsLimitInMemory) {
  test::TempDir dir;
  EnvelopeBuffer buffer(100, dir.path());
  ASSERT_TRUE(buffer.Write(Sequence(60)).ok());
  ASSERT_TRUE(buffer.Write(Sequence(40, 60)).ok());
  EXPECT_TRUE(buffer.in_memory());
  EXPECT_EQ(buffer.size(), 100u);
  EXPECT_TRUE(std::equal(buffer.memory().begin(), buffer.memory().end(), Sequence(100).begin()));
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(EnvelopeBufferTest, MovesToAnUnnamedFileOneBytePastItsLimit) {
  test::TempDir dir;
  EnvelopeBuffer buffer(100, dir.path());
  ASSERT_TRUE(buffer.Write(Sequence(100)).ok());
  ASSERT_TRUE(buffer.Write(Sequence(1, 100)).ok());
  ASSERT_TRUE(buffer.Write(Sequence(155, 101)).ok());
  EXPECT_FALSE(buffer.in_memory());
  EXPECT_EQ(buffer.size(), 256u);
  // The file has no name in the folder, not even for a moment afterwards.
  EXPECT_TRUE(dir.Entries().empty());
  std::vector<std::uint8_t> all(256);
  ASSERT_TRUE(buffer.ReadAt(0, all).ok());
  EXPECT_EQ(all, Sequence(256));
  std::vector<std::uint8_t> middle(10);
  ASSERT_TRUE(buffer.ReadAt(95, middle).ok());
  EXPECT_EQ(middle, Sequence(10, 95));
}

TEST(EnvelopeBufferTest, RefusesReadsPastTheEnd) {
  test::TempDir dir;
  EnvelopeBuffer buffer(100, dir.path());
  ASSERT_TRUE(buffer.Write(Sequence(10)).ok());
  std::vector<std::uint8_t> out(5);
  EXPECT_TRUE(buffer.ReadAt(5, out).ok());
  EXPECT_EQ(buffer.ReadAt(6, out).error(), Error::kInvalidArgument);
  EXPECT_EQ(buffer.ReadAt(UINT64_MAX, out).error(), Error::kInvalidArgument);
}

TEST(EnvelopeBufferTest, TheTemporaryFileIsPrivateAndNameless) {
  test::TempDir dir;
  auto fd = EnvelopeBuffer::OpenPrivateTempFile(dir.path());
  ASSERT_TRUE(fd.ok());
  struct stat info {};
  ASSERT_EQ(::fstat(fd.value(), &info), 0);
  EXPECT_EQ(info.st_nlink, 0u);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_TRUE(dir.Entries().empty());
  ::close(fd.value());
}

TEST(EnvelopeBufferTest, AMissingFolderIsAnIoError) {
  EnvelopeBuffer buffer(4, "/nonexistent/folder");
  EXPECT_TRUE(buffer.Write(Sequence(4)).ok());
  EXPECT_EQ(buffer.Write(Sequence(1)).error(), Error::kIo);
}

}  // namespace
}  // namespace amparo::submit
