#include "admin/backup_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <system_error>

#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "storage/remote_store.h"
#include "storage/rocksdb_store.h"

namespace amparo::admin {
namespace {

namespace fs = std::filesystem;

Status SyncFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  const int synced = ::fsync(fd);
  ::close(fd);
  return synced == 0 ? OkStatus() : Status(Error::kIo);
}

// CopyStoreFolder copies the flat folder `from` (a checkpoint holds files
// only) into the new folder `to`, mode 0700, every file synced.
Status CopyStoreFolder(const fs::path& from, const fs::path& to) {
  std::error_code error;
  if (!fs::create_directory(to, error) || error) return Error::kIo;
  fs::permissions(to, fs::perms::owner_all, error);
  if (error) return Error::kIo;
  for (const fs::directory_entry& entry : fs::directory_iterator(from, error)) {
    if (!entry.is_regular_file(error) || error) return Error::kIo;
    const fs::path target = to / entry.path().filename();
    if (!fs::copy_file(entry.path(), target, error) || error) return Error::kIo;
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, error);
    if (error) return Error::kIo;
    AMPARO_RETURN_IF_ERROR(SyncFile(target));
  }
  if (error) return Error::kIo;
  AMPARO_RETURN_IF_ERROR(SyncFile(to));
  return SyncDirectoryOf(to);
}

// MoveStoreFolder renames `from` to `to`, or copies and removes it where
// they are on different file systems.
Status MoveStoreFolder(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) == 0) return SyncDirectoryOf(to);
  if (errno != EXDEV) return Error::kIo;
  AMPARO_RETURN_IF_ERROR(CopyStoreFolder(from, to));
  std::error_code error;
  fs::remove_all(from, error);
  return error ? Status(Error::kIo) : OkStatus();
}

bool IsEmptyOrMissing(const fs::path& folder) {
  std::error_code error;
  if (!fs::exists(folder, error)) return !error;
  return fs::is_directory(folder, error) && fs::is_empty(folder, error) && !error;
}

// IsWithin says whether `path` is `folder` or lies under it, both taken as
// absolute paths with symbolic links resolved as far as they exist.
bool IsWithin(const fs::path& path, const fs::path& folder) {
  std::error_code error;
  const fs::path inner = fs::weakly_canonical(fs::absolute(path), error);
  if (error) return true;  // unknown: take the safe answer
  const fs::path outer = fs::weakly_canonical(fs::absolute(folder), error);
  if (error) return true;
  return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first ==
         outer.end();
}

// RemoveStaging removes the copy a refused restore made. Failing that, it
// names the folder: the copy holds the backup's ciphertext.
void RemoveStaging(const fs::path& staging) {
  std::error_code error;
  fs::remove_all(staging, error);
  if (error) {
    std::cerr << "amparo-admin: warning: cannot remove " << staging.string()
              << ": remove it by hand, it holds the backup's ciphertext\n";
  }
}

// CheckStaged opens the copied store, reports what it holds, and continues
// its export numbers after after_export when given.
int CheckStaged(const fs::path& staging, std::optional<std::uint64_t> after_export) {
  // Opening would create a store where none is: the copy must hold one.
  std::error_code error;
  if (!fs::exists(staging / "CURRENT", error)) {
    return Fail("the backup does not open as a store", kExitIo);
  }
  auto store = storage::OpenRocksDbStore(staging, {});
  if (!store.ok()) return Fail("the backup does not open as a store", kExitIo);
  auto audit = store.value()->VerifyAuditChain();
  auto stats = store.value()->Stats();
  if (!audit.ok() || !stats.ok()) return Fail("the restored store cannot be read", kExitIo);
  if (!audit.value().intact()) {
    return Fail("the backup's audit chain is broken", kExitBadSignature);
  }
  std::cout << "envelopes waiting for export: " << stats.value().envelopes << '\n'
            << "key bundle version: " << stats.value().key_bundle_version << '\n';
  if (after_export) {
    auto next = store.value()->ContinueExportsAfter(SystemClock().Today(), *after_export);
    if (!next.ok()) return Fail("cannot continue the export numbers", kExitIo);
    std::cout << "next export number: " << next.value() << '\n';
  }
  return kExitSuccess;
}

}  // namespace

int RunBackup(const AdminSettings& settings, const fs::path& output) {
  std::error_code error;
  if (fs::exists(output, error) || error) {
    return Fail("the backup folder must not exist yet", kExitUsage);
  }
  {
    auto store = OpenStore(settings);
    if (!store.ok()) return FailWith(store.error());
    if (!store.value()->WriteCheckpoint().ok()) {
      return Fail("the store could not write a checkpoint", kExitIo);
    }
  }
  const fs::path checkpoint = settings.data_dir / storage::kCheckpointFolderName;
  if (!MoveStoreFolder(checkpoint, output).ok()) {
    // What is left in the data folder keeps purged bytes alive: remove it.
    (void)storage::RemoveCheckpoint(settings.data_dir);
    return Fail("cannot move the checkpoint to the backup folder", kExitIo);
  }
  // The checkpoint's folder has the store process's default mode; a backup
  // is as private as the store.
  fs::permissions(output, fs::perms::owner_all, error);
  if (error) return Fail("cannot make the backup folder private", kExitIo);
  std::cout << "backup written to " << output.string() << '\n';
  return kExitSuccess;
}

int RunRestore(const AdminSettings& settings, const fs::path& input,
               std::optional<std::uint64_t> after_export) {
  if (after_export && *after_export > limits::kMaxExportNumber) {
    return Fail("--after-export is past the largest export number", kExitUsage);
  }
  // A running gateway holds the store; restoring under it would lose what
  // it acknowledges meanwhile.
  if (storage::ConnectRemoteStore(settings.control_socket).ok()) {
    return Fail("the gateway is running: stop it before restoring", kExitUsage);
  }
  std::error_code error;
  if (!fs::exists(input / "CURRENT", error)) {
    return Fail("the folder to restore is not a backup of a store", kExitUsage);
  }
  // Copied beside the data folder first, checked, then renamed into place:
  // an interrupted restore leaves no half store where the gateway looks. A
  // refused copy is removed at once, for it holds the backup's ciphertext,
  // which may include envelopes purged since the backup was taken.
  const fs::path staging = settings.data_dir.string() + ".restoring";
  // The copy left by an interrupted restore is removed first: restoring
  // from it (or from the data folder) would destroy what is restored.
  if (IsWithin(input, staging) || IsWithin(input, settings.data_dir)) {
    return Fail("the folder to restore is the data folder or its restore copy: move the "
                "backup elsewhere first", kExitUsage);
  }
  if (!IsEmptyOrMissing(settings.data_dir)) {
    return Fail("the data folder must be empty or missing: restore never overwrites a store",
                kExitUsage);
  }
  fs::remove_all(staging, error);
  if (error) return Fail("cannot remove the copy an earlier restore left", kExitIo);
  if (!CopyStoreFolder(input, staging).ok()) {
    RemoveStaging(staging);
    return Fail("cannot copy the backup", kExitIo);
  }
  if (const int checked = CheckStaged(staging, after_export); checked != kExitSuccess) {
    RemoveStaging(staging);
    return checked;
  }
  fs::remove(settings.data_dir, error);  // empty, if it exists
  if (error || ::rename(staging.c_str(), settings.data_dir.c_str()) != 0) {
    RemoveStaging(staging);
    return Fail("cannot move the restored store into the data folder", kExitIo);
  }
  if (!SyncDirectoryOf(settings.data_dir).ok()) {
    return Fail("the store is restored, but the move into the data folder could not be "
                "synced: sync the file system before starting the gateway", kExitIo);
  }
  std::cout << "restored into " << settings.data_dir.string() << '\n';
  return kExitSuccess;
}

}  // namespace amparo::admin
