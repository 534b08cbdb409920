#include "gateway/filesystem_sandbox.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "common/sanitizer_build.h"

namespace amparo::gateway {
namespace {

// The Landlock ABI, stated here rather than taken from <linux/landlock.h>,
// whose copy on an older system lacks the later rights; the kernel's ABI is
// stable and each version only adds.
constexpr std::uint64_t kExecute = 1ull << 0;
constexpr std::uint64_t kWriteFile = 1ull << 1;
constexpr std::uint64_t kReadFile = 1ull << 2;
constexpr std::uint64_t kReadDir = 1ull << 3;
constexpr std::uint64_t kRemoveDir = 1ull << 4;
constexpr std::uint64_t kRemoveFile = 1ull << 5;
constexpr std::uint64_t kMakeChar = 1ull << 6;
constexpr std::uint64_t kMakeDir = 1ull << 7;
constexpr std::uint64_t kMakeReg = 1ull << 8;
constexpr std::uint64_t kMakeSock = 1ull << 9;
constexpr std::uint64_t kMakeFifo = 1ull << 10;
constexpr std::uint64_t kMakeBlock = 1ull << 11;
constexpr std::uint64_t kMakeSym = 1ull << 12;
constexpr std::uint64_t kRefer = 1ull << 13;     // ABI 2
constexpr std::uint64_t kTruncate = 1ull << 14;  // ABI 3
constexpr std::uint64_t kIoctlDev = 1ull << 15;  // ABI 5
constexpr std::uint64_t kBindTcp = 1ull << 0;     // ABI 4, network rights
constexpr std::uint64_t kConnectTcp = 1ull << 1;  // ABI 4
constexpr unsigned kCreateRulesetVersion = 1u << 0;
constexpr int kRulePathBeneath = 1;

struct RulesetAttr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;
};

struct __attribute__((packed)) PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};

// FsRights returns every file system right the ABI version knows: all of
// them are handled, so that what no rule grants is refused.
std::uint64_t FsRights(int abi) {
  std::uint64_t rights = kExecute | kWriteFile | kReadFile | kReadDir | kRemoveDir | kRemoveFile |
                         kMakeChar | kMakeDir | kMakeReg | kMakeSock | kMakeFifo | kMakeBlock |
                         kMakeSym;
  if (abi >= 2) rights |= kRefer;
  if (abi >= 3) rights |= kTruncate;
  if (abi >= 5) rights |= kIoctlDev;
  return rights;
}

// Descriptor closes an O_PATH descriptor or ruleset when it goes.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() { if (fd_ >= 0) ::close(fd_); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status AddRule(int ruleset, const std::filesystem::path& path, std::uint64_t rights) {
  const Descriptor target(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (target.get() < 0) return Error::kIo;
  const PathBeneathAttr rule{rights, target.get()};
  if (::syscall(SYS_landlock_add_rule, ruleset, kRulePathBeneath, &rule, 0) != 0) {
    return Error::kIo;
  }
  return OkStatus();
}

}  // namespace

Result<int> RestrictFilesystem(const FilesystemAccess& access) {
  const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  if (abi < 0) {
    if (errno == ENOSYS || errno == EOPNOTSUPP) return 0;
    return Error::kIo;
  }
  const int version = static_cast<int>(abi);
  const std::uint64_t handled = FsRights(version);
  RulesetAttr attr{handled, version >= 4 ? (kBindTcp | kConnectTcp) : 0};
  // An ABI without network rights takes the older, shorter structure.
  const std::size_t attr_size = version >= 4 ? sizeof(attr) : sizeof(attr.handled_access_fs);
  const Descriptor ruleset(
      static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0)));
  if (ruleset.get() < 0) return Error::kIo;

  // The store makes, renames and removes its files, never anything else.
  const std::uint64_t store = handled & (kReadFile | kWriteFile | kReadDir | kRemoveFile |
                                         kMakeReg | kMakeDir | kRemoveDir | kRefer | kTruncate);
  for (const auto& dir : access.read_write_dirs) AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), dir, store));
  for (const auto& dir : access.socket_dirs) {
    AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), dir, kMakeSock | kRemoveFile));
  }
  for (const auto& file : access.read_files) {
    AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), file, kReadFile));
  }
  // The C library reads the number of processors online; the file says no
  // more than that.
  const std::filesystem::path cpus = "/sys/devices/system/cpu/online";
  if (std::filesystem::exists(cpus)) AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), cpus, kReadFile));
  // AddressSanitizer's leak checker, at exit, reads the process's memory map
  // and lists its threads. Sanitizer builds only, and only those two: the
  // environment and the rest of /proc/self stay refused.
  if constexpr (kSanitizerBuild) {
    AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), "/proc/self/maps", kReadFile));
    AMPARO_RETURN_IF_ERROR(AddRule(ruleset.get(), "/proc/self/task", kReadFile | kReadDir));
  }

  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::kIo;
  if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) return Error::kIo;
  return version;
}

}  // namespace amparo::gateway
