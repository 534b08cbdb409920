#include "gateway/syscall_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "common/sanitizer_build.h"

namespace amparo::gateway {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kArchitecture = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kArchitecture = 0;
#endif

// FS_IOC_GETVERSION: RocksDB asks a file's generation to name its cache
// entries; defined here as <linux/fs.h> conflicts with the C library.
constexpr std::uint32_t kGetFileVersion = 0x80087601u;

// The calls a serving gateway makes: I/O on descriptors it holds, the
// store's files (Landlock bounds which), memory, threads, time and signals.
// Absent on purpose: socket, connect, bind, listen, execve, fork, ptrace,
// kill, the set*id calls, mount, chmod, chown, and every other call.
constexpr int kAllowed[] = {
    SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_preadv,
    SYS_pwritev, SYS_close, SYS_lseek, SYS_fcntl, SYS_fstat, SYS_newfstatat, SYS_statx,
    SYS_fstatfs, SYS_statfs, SYS_openat, SYS_unlinkat, SYS_renameat, SYS_renameat2,
    SYS_mkdirat, SYS_getdents64, SYS_fsync, SYS_fdatasync, SYS_sync_file_range, SYS_fallocate,
    SYS_ftruncate, SYS_fadvise64, SYS_readahead, SYS_faccessat,
    // Hard links: a backup's checkpoint links the store's tables instead of
    // copying them; Landlock keeps both ends inside the store's folder.
    SYS_linkat,
    SYS_accept4, SYS_recvfrom, SYS_recvmsg, SYS_sendto, SYS_sendmsg, SYS_shutdown,
    SYS_getsockopt, SYS_setsockopt, SYS_getsockname, SYS_getpeername,
    SYS_epoll_ctl, SYS_epoll_pwait, SYS_ppoll, SYS_timerfd_settime, SYS_timerfd_gettime,
    SYS_futex, SYS_set_robust_list, SYS_rseq, SYS_sched_yield, SYS_sched_getaffinity,
    SYS_munmap, SYS_mremap, SYS_madvise, SYS_brk, SYS_mlock, SYS_munlock,
    SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_rt_sigreturn, SYS_sigaltstack,
    SYS_clock_gettime, SYS_clock_nanosleep, SYS_nanosleep, SYS_restart_syscall,
    SYS_getpid, SYS_gettid, SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid, SYS_uname,
    SYS_sysinfo, SYS_getrandom, SYS_exit, SYS_exit_group,
#if defined(__x86_64__)
    // The older names x86-64 keeps beside the *at forms.
    SYS_open, SYS_stat, SYS_lstat, SYS_unlink, SYS_rename, SYS_mkdir, SYS_rmdir, SYS_access,
    SYS_link,
    SYS_accept, SYS_epoll_wait, SYS_poll,
#endif
};

// The ioctl requests of non-blocking sockets and RocksDB.
constexpr std::uint32_t kAllowedIoctls[] = {FIONBIO, FIONREAD, FIOCLEX, FIONCLEX, kGetFileVersion};

// The leak checker's extra calls (sanitizer builds only, see
// common/sanitizer_build.h), and pipe2, with which the sanitizers' runtime
// probes whether memory is readable before it reads it.
// Clang's runtime lists the threads with the older getdents.
constexpr int kSanitizerAllowed[] = {SYS_ptrace, SYS_wait4, SYS_prctl, SYS_readlinkat, SYS_pipe2,
#if defined(__x86_64__)
                                     SYS_readlink, SYS_getdents,
#endif
                                     SYS_getppid};

constexpr std::uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr std::uint32_t kTrap = SECCOMP_RET_TRAP;
constexpr std::uint32_t kKill = SECCOMP_RET_KILL_PROCESS;
constexpr std::uint32_t Errno(int error) {
  return SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(error) & SECCOMP_RET_DATA);
}

constexpr std::uint32_t kNumber = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArch = offsetof(seccomp_data, arch);
// ArgLow and ArgHigh are the two 32-bit halves of argument i (little-endian).
constexpr std::uint32_t ArgLow(int i) {
  return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * static_cast<unsigned>(i));
}
constexpr std::uint32_t ArgHigh(int i) { return ArgLow(i) + 4; }

class Program {
 public:
  void Load(std::uint32_t offset) { Add(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset)); }
  void Return(std::uint32_t action) { Add(BPF_STMT(BPF_RET | BPF_K, action)); }
  // IfEqualReturn returns action when the accumulator is value.
  void IfEqualReturn(std::uint32_t value, std::uint32_t action) {
    Add(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, 1));
    Return(action);
  }
  // IfNotEqualReturn returns action unless the accumulator is value.
  void IfNotEqualReturn(std::uint32_t value, std::uint32_t action) {
    Add(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 1, 0));
    Return(action);
  }
  // IfAtLeastReturn returns action when the accumulator is value or more.
  void IfAtLeastReturn(std::uint32_t value, std::uint32_t action) {
    Add(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, value, 0, 1));
    Return(action);
  }
  // IfAnyBitReturn returns action when the accumulator has a bit of mask.
  void IfAnyBitReturn(std::uint32_t mask, std::uint32_t action) {
    Add(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1));
    Return(action);
  }
  // Call starts the block of syscall nr: skipped (to the next block) unless
  // the number matches. Each block ends with a return on every path and
  // leaves the accumulator changed, so End reloads the number.
  void Call(int nr) {
    Add(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 0));
    open_ = program_.size() - 1;
  }
  void End() {
    program_[open_].jf = static_cast<std::uint8_t>(program_.size() - open_ - 1);
    Load(kNumber);
  }
  std::vector<sock_filter> Take() { return std::move(program_); }

 private:
  void Add(sock_filter instruction) { program_.push_back(instruction); }
  std::vector<sock_filter> program_;
  std::size_t open_ = 0;
};

// ReportBlockedCall says which call was refused, with async-signal-safe
// calls only, and ends the process.
void ReportBlockedCall(int, siginfo_t* info, void*) {
  char message[64] = "amparo-gateway: blocked system call ";
  std::size_t length = sizeof("amparo-gateway: blocked system call ") - 1;
  char digits[12];
  std::size_t count = 0;
  unsigned number = static_cast<unsigned>(info->si_syscall);
  do {
    digits[count++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number != 0 && count < sizeof(digits));
  while (count > 0) message[length++] = digits[--count];
  message[length++] = '\n';
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, length);
  ::_exit(kBlockedSyscallExitCode);
}

}  // namespace

std::vector<sock_filter> BuildSyscallFilter() {
  if (kArchitecture == 0) return {};
  Program p;
  // A call made through another architecture's table (i386 on x86-64)
  // would bypass every number below.
  p.Load(kArch);
  p.IfNotEqualReturn(kArchitecture, kKill);
  p.Load(kNumber);
#if defined(__x86_64__)
  // The x32 table likewise.
  p.IfAtLeastReturn(0x40000000u, kKill);
#endif
  for (const int nr : kAllowed) p.IfEqualReturn(static_cast<std::uint32_t>(nr), kAllow);
  if (kSanitizerBuild) {
    for (const int nr : kSanitizerAllowed) p.IfEqualReturn(static_cast<std::uint32_t>(nr), kAllow);
  }

  // Threads, not processes: a clone without CLONE_THREAD is a fork.
  p.Call(SYS_clone);
  p.Load(ArgLow(0));
  p.IfAnyBitReturn(CLONE_THREAD, kAllow);
  p.Return(kSanitizerBuild ? kAllow : kTrap);
  p.End();
  // clone3 passes its flags in memory the filter cannot read; ENOSYS makes
  // the C library fall back to clone, which it can.
  p.IfEqualReturn(SYS_clone3, Errno(ENOSYS));

  // Memory, never executable: nothing may map or turn pages into code.
  for (const int nr : {SYS_mmap, SYS_mprotect}) {
    p.Call(nr);
    p.Load(ArgLow(2));
    p.IfAnyBitReturn(PROT_EXEC, Errno(EPERM));
    p.Return(kAllow);
    p.End();
  }

  p.Call(SYS_ioctl);
  p.Load(ArgLow(1));
  for (const std::uint32_t request : kAllowedIoctls) p.IfEqualReturn(request, kAllow);
  p.Return(Errno(EPERM));
  p.End();

  // Signals to itself only (abort), never to another process.
  p.Call(SYS_tgkill);
  p.Load(ArgHigh(0));
  p.IfNotEqualReturn(0, kTrap);
  p.Load(ArgLow(0));
  p.IfNotEqualReturn(static_cast<std::uint32_t>(::getpid()), kTrap);
  p.Return(kAllow);
  p.End();

  // Reading limits, not changing them.
  p.Call(SYS_prlimit64);
  p.Load(ArgLow(2));
  p.IfNotEqualReturn(0, Errno(EPERM));
  p.Load(ArgHigh(2));
  p.IfNotEqualReturn(0, Errno(EPERM));
  p.Return(kAllow);
  p.End();

  p.Return(kTrap);
  return p.Take();
}

Status InstallSyscallFilter() {
  std::vector<sock_filter> program = BuildSyscallFilter();
  if (program.empty()) return Error::kInvalidArgument;
  struct sigaction action {};
  action.sa_sigaction = ReportBlockedCall;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGSYS, &action, nullptr) != 0) return Error::kIo;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::kIo;
  const sock_fprog fprog{static_cast<unsigned short>(program.size()), program.data()};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog) != 0) {
    return Error::kIo;
  }
  return OkStatus();
}

}  // namespace amparo::gateway
