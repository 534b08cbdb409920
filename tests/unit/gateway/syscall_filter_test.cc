// The seccomp allow-list, applied in a child process: what serving needs
// works, and what an attacker would need is refused.
#include "gateway/syscall_filter.h"

#include <gtest/gtest.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>

#include "common/sanitizer_build.h"
#include "tests/support/forked_child.h"

namespace amparo::gateway {
namespace {

using test::RunInChild;

// Filtered runs body under the filter; 90 + n when a step n fails.
test::ChildOutcome Filtered(const std::function<int()>& body) {
  return RunInChild([&] {
    if (!InstallSyscallFilter().ok()) return 90;
    return body();
  });
}

void ExpectBlocked(const test::ChildOutcome& outcome, long nr) {
  EXPECT_TRUE(outcome.exited);
  EXPECT_EQ(outcome.exit_code, kBlockedSyscallExitCode);
  EXPECT_NE(outcome.stderr_text.find("blocked system call " + std::to_string(nr)),
            std::string::npos)
      << outcome.stderr_text;
}

TEST(SyscallFilter, FitsOneProgram) {
  const auto program = BuildSyscallFilter();
  ASSERT_FALSE(program.empty());
  EXPECT_LT(program.size(), static_cast<std::size_t>(BPF_MAXINSNS));
}

TEST(SyscallFilter, WhatServingNeedsStillWorks) {
  const auto outcome = Filtered([] {
    if (::getpid() <= 0) return 1;
    if (::write(STDERR_FILENO, "ok\n", 3) != 3) return 2;
    // Threads start (clone3 refused with ENOSYS, clone with CLONE_THREAD).
    std::atomic<int> ran{0};
    std::thread([&] { ran = 1; }).join();
    if (ran != 1) return 3;
    // Memory that is not executable.
    void* page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 4;
    if (::munmap(page, 4096) != 0) return 5;
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return 6;
    return 0;
  });
  EXPECT_TRUE(outcome.exited);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
}

TEST(SyscallFilter, NoNewSocket) {
  ExpectBlocked(Filtered([] { return ::socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 1 : 2; }),
                SYS_socket);
}

TEST(SyscallFilter, NoConnectEvenOnASocketMadeBefore) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(9);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ExpectBlocked(Filtered([&] {
                  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                                   sizeof(address)) == 0 ? 1 : 2;
                }),
                SYS_connect);
  ::close(fd);
}

TEST(SyscallFilter, NoProgramStarts) {
  ExpectBlocked(Filtered([] {
                  char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
                  ::execve("/bin/true", argv, nullptr);
                  return 1;
                }),
                SYS_execve);
}

TEST(SyscallFilter, NoForkUnlessTheLeakCheckerNeedsIt) {
  if (kSanitizerBuild) GTEST_SKIP() << "sanitizer builds allow the leak checker's fork";
  ExpectBlocked(Filtered([] {
                  const long child = ::syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
                  if (child == 0) ::_exit(0);
                  return 1;
                }),
                SYS_clone);
}

TEST(SyscallFilter, NoExecutableMemory) {
  const auto outcome = Filtered([] {
    void* code = ::mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code != MAP_FAILED || errno != EPERM) return 1;
    void* page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 2;
    if (::mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0 || errno != EPERM) return 3;
    return 0;
  });
  EXPECT_TRUE(outcome.exited);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
}

TEST(SyscallFilter, IoctlOnlyForSocketsAndFiles) {
  const auto outcome = Filtered([] {
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 || errno != EPERM) return 1;
    int pending = 0;
    if (::ioctl(STDERR_FILENO, FIONREAD, &pending) != 0 && errno == EPERM) return 2;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
}

TEST(SyscallFilter, SignalsOnlyToItself) {
  const pid_t parent = ::getpid();
  ExpectBlocked(Filtered([&] {
                  ::syscall(SYS_tgkill, parent, parent, 0);
                  return 1;
                }),
                SYS_tgkill);
  const auto own = Filtered([] {
    ::signal(SIGUSR1, SIG_IGN);
    return ::raise(SIGUSR1) == 0 ? 0 : 1;
  });
  EXPECT_EQ(own.exit_code, 0) << own.stderr_text;
}

TEST(SyscallFilter, LimitsAreReadNotRaised) {
  const auto outcome = Filtered([] {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return 1;
    if (::setrlimit(RLIMIT_NOFILE, &files) == 0 || errno != EPERM) return 2;
    return 0;
  });
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
}

TEST(SyscallFilter, NoIdentityChange) {
  ExpectBlocked(Filtered([] { return ::setuid(65534) == 0 ? 1 : 2; }), SYS_setuid);
}

}  // namespace
}  // namespace amparo::gateway
