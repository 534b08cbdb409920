#include "gateway/privileges.h"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <vector>

namespace amparo::gateway {

Result<Account> LookUpAccount(const std::string& name) {
  std::vector<char> buffer(16 * 1024);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return Error::kNotFound;
  }
  if (found->pw_uid == 0 || found->pw_gid == 0) return Error::kRefused;
  return Account{name, found->pw_uid, found->pw_gid};
}

Status LimitProcess() {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::kIo;
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Error::kIo;
  const rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) != 0) return Error::kIo;
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return Error::kIo;
  files.rlim_cur = files.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &files) != 0) return Error::kIo;
  return OkStatus();
}

Status SwitchToAccount(const Account& account) {
  // Groups first, then the group, then the user: once the user is dropped,
  // the others can no longer be changed.
  if (::setgroups(0, nullptr) != 0) return Error::kIo;
  if (::setresgid(account.gid, account.gid, account.gid) != 0) return Error::kIo;
  if (::setresuid(account.uid, account.uid, account.uid) != 0) return Error::kIo;
  uid_t real = 0, effective = 0, saved = 0;
  if (::getresuid(&real, &effective, &saved) != 0) return Error::kIo;
  if (real != account.uid || effective != account.uid || saved != account.uid) return Error::kIo;
  // A switch that could be undone is no switch at all.
  if (::setuid(0) == 0 || ::setgid(0) == 0) return Error::kIo;
  return OkStatus();
}

Status DropCapabilities() {
  for (unsigned long capability = 0; capability <= CAP_LAST_CAP; ++capability) {
    if (::prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 && errno != EINVAL) {
      return Error::kIo;
    }
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return Error::kIo;
  }
  // No libcap: the raw call with version 3 and two empty sets.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  if (::syscall(SYS_capset, &header, data.data()) != 0) return Error::kIo;
  return OkStatus();
}

}  // namespace amparo::gateway
