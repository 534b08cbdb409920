// file_io_test.cc: an AtomicFileSink publishes its file (mode 0600) only on
// Commit and leaves nothing behind otherwise; WriteNewFile never replaces a
// file; ReadSmallFile and ReadSmallFd hold their limits at N and N+1.

#include "common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "tests/support/temp_dir.h"

namespace amparo {
namespace {

using test::ReadWholeFile;
using test::TempDir;
using test::WriteWholeFile;

unsigned PermissionBits(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 07777 + 1;
  return info.st_mode & 07777;
}

// Pipe is a pipe whose ends close on destruction unless closed before.
struct Pipe {
  Pipe() {
    if (::pipe(fds.data()) != 0) std::abort();
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  void CloseRead() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void CloseWrite() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  bool WriteAll(const std::string& data) const {
    return ::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size());
  }
  std::array<int, 2> fds{-1, -1};
};

TEST(AtomicFileSinkTest, DestroyedUncommittedLeavesNoFileAndNoTemporary) {
  TempDir dir;
  const auto path = dir.path() / "out.age";
  {
    auto sink = AtomicFileSink::Create(path);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE(sink.value()->Write(AsBytes("secret plaintext")).ok());
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(dir.Entries().size(), 1u);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(AtomicFileSinkTest, CommitPublishesContentWithMode0600) {
  TempDir dir;
  const auto path = dir.path() / "out.age";
  auto sink = AtomicFileSink::Create(path);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE(sink.value()->Write(AsBytes("first ")).ok());
  ASSERT_TRUE(sink.value()->Write(AsBytes("second")).ok());
  ASSERT_TRUE(sink.value()->Commit().ok());
  EXPECT_EQ(ReadWholeFile(path), "first second");
  EXPECT_EQ(PermissionBits(path), 0600u);
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"out.age"});
}

TEST(AtomicFileSinkTest, CommittedFileSurvivesDestruction) {
  TempDir dir;
  const auto path = dir.path() / "kept";
  {
    auto sink = AtomicFileSink::Create(path);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE(sink.value()->Write(AsBytes("x")).ok());
    ASSERT_TRUE(sink.value()->Commit().ok());
  }
  EXPECT_EQ(ReadWholeFile(path), "x");
}

TEST(AtomicFileSinkTest, WriteOrCommitAfterCommitFails) {
  TempDir dir;
  auto sink = AtomicFileSink::Create(dir.path() / "f");
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE(sink.value()->Commit().ok());
  const Status write = sink.value()->Write(AsBytes("late"));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error(), Error::kIo);
  const Status again = sink.value()->Commit();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), Error::kIo);
  EXPECT_EQ(ReadWholeFile(dir.path() / "f"), "");
}

TEST(AtomicFileSinkTest, CreateInMissingDirectoryFailsWithIo) {
  TempDir dir;
  auto sink = AtomicFileSink::Create(dir.path() / "missing" / "f");
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error(), Error::kIo);
}

TEST(WriteNewFileTest, CreatesFileWithContentAndMode0600) {
  TempDir dir;
  const auto path = dir.path() / "key.txt";
  ASSERT_TRUE(WriteNewFile(path, "AGE-SECRET-KEY-1...\n").ok());
  EXPECT_EQ(ReadWholeFile(path), "AGE-SECRET-KEY-1...\n");
  EXPECT_EQ(PermissionBits(path), 0600u);
}

TEST(WriteNewFileTest, RefusesExistingFileAndLeavesItUnchanged) {
  TempDir dir;
  const auto path = dir.path() / "key.txt";
  WriteWholeFile(path, "original");
  const Status status = WriteNewFile(path, "replacement");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
  EXPECT_EQ(ReadWholeFile(path), "original");
}

TEST(WriteNewFileTest, MissingDirectoryFailsWithIo) {
  TempDir dir;
  const Status status = WriteNewFile(dir.path() / "no" / "file", "x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
}

TEST(ReadSmallFileTest, AcceptsFileOfExactlyMaxKeyFileBytes) {
  TempDir dir;
  const auto path = dir.path() / "keys";
  const std::string content(limits::kMaxKeyFileBytes, 'k');
  WriteWholeFile(path, content);
  auto read = ReadSmallFile(path, limits::kMaxKeyFileBytes);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), content);
}

TEST(ReadSmallFileTest, RejectsFileOfMaxKeyFileBytesPlusOne) {
  TempDir dir;
  const auto path = dir.path() / "keys";
  WriteWholeFile(path, std::string(limits::kMaxKeyFileBytes + 1, 'k'));
  auto read = ReadSmallFile(path, limits::kMaxKeyFileBytes);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kLimitExceeded);
}

TEST(ReadSmallFileTest, ReadsEmptyFile) {
  TempDir dir;
  const auto path = dir.path() / "empty";
  WriteWholeFile(path, "");
  auto read = ReadSmallFile(path, 0);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), "");
}

TEST(ReadSmallFileTest, MissingFileFailsWithIo) {
  TempDir dir;
  auto read = ReadSmallFile(dir.path() / "absent", 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kIo);
}

TEST(ReadSmallFdTest, AcceptsPassphraseOfExactlyMaxPassphraseBytes) {
  Pipe pipe;
  const std::string passphrase(limits::kMaxPassphraseBytes, 'p');
  ASSERT_TRUE(pipe.WriteAll(passphrase));
  pipe.CloseWrite();
  auto read = ReadSmallFd(pipe.fds[0], limits::kMaxPassphraseBytes);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), passphrase);
}

TEST(ReadSmallFdTest, RejectsPassphraseOfMaxPassphraseBytesPlusOne) {
  Pipe pipe;
  ASSERT_TRUE(pipe.WriteAll(std::string(limits::kMaxPassphraseBytes + 1, 'p')));
  pipe.CloseWrite();
  auto read = ReadSmallFd(pipe.fds[0], limits::kMaxPassphraseBytes);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kLimitExceeded);
}

TEST(ReadSmallFdTest, InvalidDescriptorFailsWithIo) {
  auto read = ReadSmallFd(-1, 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kIo);
}

TEST(FdStreamsTest, SinkAndSourceCarryBytesThroughAPipe) {
  Pipe pipe;
  FdSink sink(pipe.fds[1]);
  ASSERT_TRUE(sink.Write(AsBytes("through the pipe")).ok());
  pipe.CloseWrite();
  FdSource source(pipe.fds[0]);
  std::array<std::uint8_t, 64> out{};
  auto n = ReadFull(source, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(AsText(std::span(out).first(n.value())), "through the pipe");
}

TEST(FdStreamsTest, InvalidDescriptorFailsWithIo) {
  FdSource source(-1);
  std::array<std::uint8_t, 4> out{};
  auto n = source.Read(out);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error(), Error::kIo);
  FdSink sink(-1);
  const Status status = sink.Write(AsBytes("x"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
}

}  // namespace
}  // namespace amparo
