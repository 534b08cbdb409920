#include "admin/settings.h"

#include <charconv>
#include <iostream>

#include "common/config_file.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "storage/remote_store.h"
#include "storage/rocksdb_store.h"

namespace amparo::admin {

int Fail(std::string_view message, int code) {
  return ReportFailure(std::cerr, "amparo-admin", message, code);
}

int FailWith(Error error) { return Fail(ErrorName(error), ExitCodeFor(error)); }

Result<AdminSettings> LoadSettings(const std::string& config_path) {
  const std::filesystem::path file = std::filesystem::absolute(config_path);
  auto text = ReadSmallFile(file, kMaxConfigFileBytes);
  if (!text.ok()) return Error::kIo;
  auto entries = ParseConfigFile(text.value());
  if (!entries.ok()) return entries.error();
  const auto resolve = [&](const std::string& value) {
    const std::filesystem::path path(value);
    return path.is_absolute() ? path : file.parent_path() / path;
  };
  AdminSettings settings;
  settings.data_dir = file.parent_path() / "data";
  settings.node_key_file = file.parent_path() / "node-export.key";
  settings.control_socket = file.parent_path() / "control.sock";
  settings.mailbox_secret_file = file.parent_path() / "mailbox.key";
  if (auto it = entries.value().find("data_dir"); it != entries.value().end()) {
    settings.data_dir = resolve(it->second);
  }
  if (auto it = entries.value().find("node_key_file"); it != entries.value().end()) {
    settings.node_key_file = resolve(it->second);
  }
  if (auto it = entries.value().find("mailbox_retention_days"); it != entries.value().end()) {
    const auto& v = it->second;
    int days = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
    if (ec != std::errc() || end != v.data() + v.size() || days < 1 ||
        days > limits::kMaxMailboxRetentionDays) {
      return Error::kInvalidArgument;
    }
    settings.mailbox_retention_days = days;
  }
  if (auto it = entries.value().find("mailbox_secret_file"); it != entries.value().end()) {
    settings.mailbox_secret_file = resolve(it->second);
  }
  if (auto it = entries.value().find("control_socket"); it != entries.value().end()) {
    settings.control_socket = resolve(it->second);
  }
  if (auto it = entries.value().find("root_fingerprint"); it != entries.value().end()) {
    settings.root_fingerprint = it->second;
  }
  return settings;
}

Result<std::unique_ptr<storage::EnvelopeStore>> OpenStore(const AdminSettings& settings) {
  auto store = storage::OpenRocksDbStore(settings.data_dir, {});
  if (store.ok()) return store;
  // A running gateway holds the store: reach it through its control socket.
  auto remote = storage::ConnectRemoteStore(settings.control_socket);
  if (remote.ok()) return remote;
  std::cerr << "amparo-admin: cannot open the store in " << settings.data_dir.string()
            << ", and no gateway answers on its control socket\n";
  return store;
}

}  // namespace amparo::admin
