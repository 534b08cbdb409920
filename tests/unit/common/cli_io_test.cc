// cli_io_test.cc: the tools read a named file or standard input and write a
// named file, visible only after Commit, or standard output; standard streams
// are never closed by the objects that borrow them.

#include "common/cli_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/byte_reader.h"
#include "tests/support/byte_streams.h"
#include "tests/support/temp_dir.h"

namespace amparo {
namespace {

using test::ReadWholeFile;
using test::TempDir;
using test::WriteWholeFile;

// StreamRedirect points a standard descriptor at one end of a pipe and
// restores the original on destruction.
class StreamRedirect {
 public:
  explicit StreamRedirect(int target) : target_(target) {
    if (::pipe(pipe_.data()) != 0) std::abort();
    saved_ = ::dup(target_);
    const int end = target_ == STDIN_FILENO ? pipe_[0] : pipe_[1];
    if (saved_ < 0 || ::dup2(end, target_) < 0) std::abort();
  }
  ~StreamRedirect() {
    Restore();
    for (int fd : pipe_) {
      if (fd >= 0) ::close(fd);
    }
  }
  void Restore() {
    if (saved_ < 0) return;
    ::dup2(saved_, target_);
    ::close(saved_);
    saved_ = -1;
  }
  // Feed writes data into the pipe behind standard input and closes it.
  void Feed(const std::string& data) {
    if (::write(pipe_[1], data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
      std::abort();
    }
    ::close(pipe_[1]);
    pipe_[1] = -1;
  }
  // Captured returns what was written to standard output, once restored.
  std::string Captured() {
    Restore();
    ::close(pipe_[1]);
    pipe_[1] = -1;
    std::string out;
    std::array<char, 256> block{};
    ssize_t n = 0;
    while ((n = ::read(pipe_[0], block.data(), block.size())) > 0) {
      out.append(block.data(), static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int target_;
  int saved_ = -1;
  std::array<int, 2> pipe_{-1, -1};
};

bool IsOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

TEST(CommandInputTest, ReadsNamedFile) {
  TempDir dir;
  WriteWholeFile(dir.path() / "in", "file content");
  auto input = CommandInput::Open((dir.path() / "in").string());
  ASSERT_TRUE(input.ok());
  auto all = test::Drain(input.value().source());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(AsText(all.value()), "file content");
}

TEST(CommandInputTest, MissingFileFailsWithIo) {
  TempDir dir;
  auto input = CommandInput::Open((dir.path() / "absent").string());
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.error(), Error::kIo);
}

TEST(CommandInputTest, DashAndEmptyReadStandardInput) {
  for (const std::string name : {"-", ""}) {
    StreamRedirect redirect(STDIN_FILENO);
    redirect.Feed("from stdin " + name);
    auto input = CommandInput::Open(name);
    ASSERT_TRUE(input.ok());
    auto all = test::Drain(input.value().source());
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(AsText(all.value()), "from stdin " + name);
  }
}

TEST(CommandInputTest, DestroyingStandardInputLeavesItOpen) {
  StreamRedirect redirect(STDIN_FILENO);
  {
    auto input = CommandInput::Open("-");
    ASSERT_TRUE(input.ok());
  }
  EXPECT_TRUE(IsOpen(STDIN_FILENO));
}

TEST(CommandInputTest, DestroyingMovedFromInputDoesNotCloseTheFile) {
  TempDir dir;
  WriteWholeFile(dir.path() / "in", "still readable");
  auto opened = CommandInput::Open((dir.path() / "in").string());
  ASSERT_TRUE(opened.ok());
  auto moved_from = std::make_unique<CommandInput>(std::move(opened).value());
  CommandInput kept(std::move(*moved_from));
  moved_from.reset();
  auto all = test::Drain(kept.source());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(AsText(all.value()), "still readable");
}

TEST(CommandOutputTest, NamedFileAppearsOnlyAfterCommit) {
  TempDir dir;
  const auto path = dir.path() / "out";
  auto output = CommandOutput::Open(path.string());
  ASSERT_TRUE(output.ok());
  EXPECT_FALSE(output.value().is_terminal());
  ASSERT_TRUE(output.value().sink().Write(AsBytes("sealed")).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(output.value().Commit().ok());
  EXPECT_EQ(ReadWholeFile(path), "sealed");
}

TEST(CommandOutputTest, UncommittedNamedFileLeavesNothing) {
  TempDir dir;
  {
    auto output = CommandOutput::Open((dir.path() / "out").string());
    ASSERT_TRUE(output.ok());
    ASSERT_TRUE(output.value().sink().Write(AsBytes("partial")).ok());
  }
  EXPECT_TRUE(dir.Entries().empty());
}

TEST(CommandOutputTest, MissingDirectoryFailsWithIo) {
  TempDir dir;
  auto output = CommandOutput::Open((dir.path() / "no" / "out").string());
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error(), Error::kIo);
}

TEST(CommandOutputTest, DashWritesStandardOutputAndCommitIsNoOp) {
  StreamRedirect redirect(STDOUT_FILENO);
  bool opened = false;
  bool written = false;
  bool committed = false;
  bool terminal = true;
  {
    auto output = CommandOutput::Open("-");
    opened = output.ok();
    if (opened) {
      terminal = output.value().is_terminal();
      written = output.value().sink().Write(AsBytes("to stdout")).ok();
      committed = output.value().Commit().ok();
    }
  }
  const bool still_open = IsOpen(STDOUT_FILENO);
  const std::string captured = redirect.Captured();
  ASSERT_TRUE(opened);
  EXPECT_TRUE(written);
  EXPECT_TRUE(committed);
  EXPECT_FALSE(terminal);
  EXPECT_EQ(captured, "to stdout");
  EXPECT_TRUE(still_open);
}

}  // namespace
}  // namespace amparo
