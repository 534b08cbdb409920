// Landlock confinement, applied in a child process: the listed folders and
// files stay usable as listed, and nothing else can be opened.
#include "gateway/filesystem_sandbox.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/sanitizer_build.h"
#include "tests/support/forked_child.h"
#include "tests/support/temp_dir.h"

namespace amparo::gateway {
namespace {

bool KernelHasLandlock() {
  return ::syscall(SYS_landlock_create_ruleset, nullptr, 0, 1u) > 0;
}

class FilesystemSandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!KernelHasLandlock()) GTEST_SKIP() << "this kernel has no Landlock";
    std::filesystem::create_directories(dir_.path() / "data");
    std::filesystem::create_directories(dir_.path() / "run");
    std::filesystem::create_directories(dir_.path() / "elsewhere");
    std::ofstream(dir_.path() / "certificate.pem") << "certificate";
    std::ofstream(dir_.path() / "config") << "secret configuration";
    access_.read_write_dirs = {dir_.path() / "data"};
    access_.socket_dirs = {dir_.path() / "run"};
    access_.read_files = {dir_.path() / "certificate.pem"};
  }

  // Confined runs body once confined; 90 if confining failed.
  test::ChildOutcome Confined(const std::function<int()>& body) {
    return test::RunInChild([&] {
      auto applied = RestrictFilesystem(access_);
      if (!applied.ok() || applied.value() < 1) return 90;
      return body();
    });
  }

  std::string Path(const char* name) const { return (dir_.path() / name).string(); }

  test::TempDir dir_;
  FilesystemAccess access_;
};

// Refused is true when opening fails with EACCES, as Landlock refuses.
bool Refused(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return false;
  }
  return errno == EACCES;
}

TEST_F(FilesystemSandbox, TheStoreFolderIsReadAndWritten) {
  const auto outcome = Confined([&] {
    const std::string file = Path("data/000001.log");
    const int fd = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return 1;
    if (::write(fd, "x", 1) != 1 || ::fsync(fd) != 0) return 2;
    ::close(fd);
    if (::rename(file.c_str(), Path("data/CURRENT").c_str()) != 0) return 3;
    if (::mkdir(Path("data/archive").c_str(), 0700) != 0) return 4;
    if (::unlink(Path("data/CURRENT").c_str()) != 0) return 5;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, NothingElseIsReadOrWritten) {
  const auto outcome = Confined([&] {
    if (!Refused(Path("config"), O_RDONLY)) return 1;
    if (!Refused(Path("elsewhere/new"), O_CREAT | O_WRONLY)) return 2;
    if (!Refused("/etc/passwd", O_RDONLY)) return 3;
    if (!Refused("/proc/self/environ", O_RDONLY)) return 4;
    if (!Refused("/proc/self/status", O_RDONLY)) return 6;
    // Nor moved into the store to be read there.
    if (::rename(Path("config").c_str(), Path("data/config").c_str()) == 0) return 5;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, TheLeakCheckerReadsTheMemoryMapInSanitizerBuildsOnly) {
  const auto outcome = Confined([&] {
    const bool map_refused = Refused("/proc/self/maps", O_RDONLY);
    const bool threads_refused = Refused("/proc/self/task", O_RDONLY | O_DIRECTORY);
    if (kSanitizerBuild) return !map_refused && !threads_refused ? 0 : 1;
    return map_refused && threads_refused ? 0 : 1;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, TlsFilesAreReadOnly) {
  const auto outcome = Confined([&] {
    const int fd = ::open(Path("certificate.pem").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    ::close(fd);
    if (!Refused(Path("certificate.pem"), O_WRONLY)) return 2;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, TheSocketFolderTakesASocketAndNoFile) {
  const auto outcome = Confined([&] {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = Path("run/control.sock");
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) return 1;
    ::close(fd);
    if (::unlink(path.c_str()) != 0) return 2;
    if (!Refused(Path("run/file"), O_CREAT | O_WRONLY)) return 3;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, NoTcpConnectWhereTheKernelCanSayIt) {
  if (::syscall(SYS_landlock_create_ruleset, nullptr, 0, 1u) < 4) {
    GTEST_SKIP() << "Landlock before ABI 4 has no network rights";
  }
  const auto outcome = Confined([&] {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(9);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    return rc != 0 && errno == EACCES ? 0 : 1;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST_F(FilesystemSandbox, AMissingPathIsAnError) {
  access_.read_files.push_back(dir_.path() / "no-such-file");
  const auto outcome = test::RunInChild([&] {
    return RestrictFilesystem(access_).ok() ? 1 : 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

}  // namespace
}  // namespace amparo::gateway
