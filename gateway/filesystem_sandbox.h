#pragma once
// filesystem_sandbox.h: confines the gateway's view of the file system with
// Landlock, so that a compromised gateway can read no file and write no
// folder beyond the ones it serves from. Landlock must be applied before any
// thread starts: a thread created earlier keeps full access.

#include <filesystem>
#include <vector>

#include "common/result.h"

namespace amparo::gateway {

// FilesystemAccess lists all the gateway may touch once confined; every
// other path is refused (EACCES), reading and writing alike.
struct FilesystemAccess {
  std::vector<std::filesystem::path> read_write_dirs;  // the store: files made, written, removed
  std::vector<std::filesystem::path> socket_dirs;      // where a Unix socket is made and removed
  std::vector<std::filesystem::path> read_files;       // TLS files, reread on SIGHUP
};

// RestrictFilesystem confines this thread and those it starts. It returns
// the Landlock ABI version applied, or 0 if the kernel has no Landlock (then
// nothing is confined and the caller says so); the rules use what that
// version can express (ABI 4 and later also forbid TCP bind and connect).
// kIo if a listed path cannot be opened or the kernel refuses the rules.
Result<int> RestrictFilesystem(const FilesystemAccess& access);

}  // namespace amparo::gateway
