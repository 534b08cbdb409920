// The account switch and the capability drop, in a child process (they
// cannot be undone); they need root, and are skipped, as such, without it.
#include "gateway/privileges.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/forked_child.h"
#include "tests/support/temp_dir.h"

namespace amparo::gateway {
namespace {

TEST(Privileges, RootIsNoAccountToRunAs) {
  auto root = LookUpAccount("root");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error(), Error::kRefused);
  auto missing = LookUpAccount("no-such-amparo-account");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), Error::kNotFound);
}

TEST(Privileges, LimitProcessForbidsNewPrivilegesAndCores) {
  const auto outcome = test::RunInChild([] {
    if (!LimitProcess().ok()) return 1;
    if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) return 2;
    if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) return 3;
    rlimit core{}, files{};
    if (::getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_max != 0) return 4;
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur != files.rlim_max) return 5;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST(Privileges, SwitchToAccountCannotBeUndone) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  auto nobody = LookUpAccount("nobody");
  ASSERT_TRUE(nobody.ok());
  const auto outcome = test::RunInChild([&] {
    if (!SwitchToAccount(nobody.value()).ok()) return 1;
    if (::getuid() != nobody.value().uid || ::geteuid() != nobody.value().uid) return 2;
    if (::getgid() != nobody.value().gid || ::getgroups(0, nullptr) != 0) return 3;
    if (::setuid(0) == 0 || ::seteuid(0) == 0) return 4;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

TEST(Privileges, RootWithoutCapabilitiesHonoursFileModes) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  test::TempDir dir;
  const auto file = dir.path() / "unreadable";
  std::ofstream(file) << "nobody may read this";
  std::filesystem::permissions(file, std::filesystem::perms::none);
  const auto outcome = test::RunInChild([&] {
    // Root reads it with CAP_DAC_OVERRIDE ...
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    ::close(fd);
    if (!DropCapabilities().ok()) return 2;
    // ... and no longer without.
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return 3;
    if (::chown(file.c_str(), 65534, 65534) == 0) return 4;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0);
}

}  // namespace
}  // namespace amparo::gateway
