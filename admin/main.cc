// amparo-admin: the operator's tool on the gateway host. It reads and writes
// the gateway's store directly (stop the gateway first: the store admits one
// process at a time) and, like the gateway, links no decryption code. It
// alone holds the node's export-signing key.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/config_file.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/signatures.h"
#include "protocol/key_bundle.h"
#include "admin/backup_commands.h"
#include "admin/node_key.h"
#include "admin/settings.h"
#include "protocol/mailbox_secret.h"
#include "admin/transfer_commands.h"
#include "crypto/random.h"

namespace {

using amparo::Error;
using amparo::admin::AdminSettings;
using amparo::admin::Fail;
using amparo::admin::FailWith;
using amparo::admin::OpenStore;

int RunInit(const AdminSettings& settings) {
  std::error_code ec;
  std::filesystem::create_directories(settings.data_dir, ec);
  if (ec) return Fail("cannot create the data folder", amparo::kExitIo);
  std::filesystem::permissions(settings.data_dir, std::filesystem::perms::owner_all, ec);
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  auto stats = store.value()->Stats();
  if (!stats.ok()) return FailWith(stats.error());
  if (stats.value().audit_length == 0) {
    auto appended = store.value()->AppendAudit(amparo::SystemClock().Today(), "store initialised");
    if (!appended.ok()) return FailWith(appended.error());
    std::cout << "initialised the store in " << settings.data_dir.string() << '\n';
  } else {
    std::cout << "the store in " << settings.data_dir.string() << " is already initialised\n";
  }
  // The node's export-signing key: created once, shown every time, so the
  // operator can read it to the focal point for `amparo-review init
  // --gateway-key` (or `gateway pin`).
  if (!std::filesystem::exists(settings.node_key_file, ec)) {
    amparo::crypto::SystemRandom random;
    if (!amparo::admin::CreateNodeKey(settings.node_key_file, random).ok()) {
      return Fail("cannot create the node key file", amparo::kExitIo);
    }
  }
  auto node = amparo::admin::LoadNodeKey(settings.node_key_file);
  if (!node.ok()) return Fail("cannot read the node key file", amparo::kExitIo);
  // The secret that names follow-up mailboxes, made once too.
  if (!std::filesystem::exists(settings.mailbox_secret_file, ec)) {
    amparo::crypto::SystemRandom random;
    if (!amparo::protocol::CreateMailboxSecret(settings.mailbox_secret_file, random).ok()) {
      return Fail("cannot create the mailbox secret file", amparo::kExitIo);
    }
  }
  if (!amparo::protocol::LoadMailboxSecret(settings.mailbox_secret_file).ok()) {
    return Fail("cannot read the mailbox secret file", amparo::kExitIo);
  }
  std::cout << "node key: " << amparo::admin::NodeKeyText(node.value().public_key()) << '\n';
  return amparo::kExitSuccess;
}

int RunStatus(const AdminSettings& settings) {
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  auto stats = store.value()->Stats();
  if (!stats.ok()) return FailWith(stats.error());
  auto audit = store.value()->VerifyAuditChain();
  if (!audit.ok()) return FailWith(audit.error());
  const auto& s = stats.value();
  // Totals only: nothing here describes one submission or one receiving body.
  std::cout << "envelopes waiting for export: " << s.envelopes << " (" << s.envelope_bytes
            << " bytes)\n"
            << "unfinished uploads: " << s.open_uploads << " (" << s.upload_bytes << " bytes)\n"
            << "key bundle version: "
            << (s.key_bundle_version == 0 ? std::string("none installed")
                                          : std::to_string(s.key_bundle_version))
            << '\n'
            << "audit chain: " << s.audit_length << " events, "
            << (audit.value().intact() ? "intact" : "BROKEN") << '\n'
            << "disk use: " << s.disk_bytes << " bytes\n"
            << "durable writes since the store was opened: " << s.commit_writes << " in "
            << s.commit_syncs << " synced batches\n";
  return audit.value().intact() ? amparo::kExitSuccess : amparo::kExitBadSignature;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-admin: the operator's tool on the gateway host"};
  std::string config_path;
  app.add_option("-c,--config", config_path, "the gateway's configuration file")->required();
  app.require_subcommand(1);
  auto* init = app.add_subcommand("init", "Create the store and its audit chain");
  auto* status = app.add_subcommand("status", "Totals and storage use; nothing per submission");
  auto* keys = app.add_subcommand("keys", "Key bundle management");
  keys->require_subcommand(1);
  std::string bundle_path;
  auto* install = keys->add_subcommand("install", "Verify and install a signed key bundle");
  install->add_option("bundle", bundle_path, "signed key bundle file")->required();
  std::string export_path;
  bool no_progress = false;
  auto* export_command = app.add_subcommand(
      "export", "Write every envelope not yet acknowledged, under a signed manifest");
  export_command->add_option("-o,--out", export_path, "new export file")->required();
  export_command->add_flag("--no-progress", no_progress, "no progress line on a terminal");
  std::string import_path;
  auto* import_command = app.add_subcommand(
      "import", "Take an acknowledgement (purges) or a signed key bundle (installs)");
  import_command->add_option("file", import_path, "file from the workstation")->required();
  long older_than = -1;
  auto* purge = app.add_subcommand("purge", "Retention: purge unacknowledged old envelopes");
  purge->add_option("--older-than", older_than, "days since arrival")->required();
  std::string backup_path;
  auto* backup = app.add_subcommand(
      "backup", "Write a consistent copy of the sealed store to a new folder");
  backup->add_option("folder", backup_path, "new backup folder")->required();
  std::string restore_path;
  auto* restore = app.add_subcommand(
      "restore", "Put a backup in place of an empty data folder (gateway stopped)");
  restore->add_option("folder", restore_path, "backup folder")->required();
  std::optional<std::uint64_t> after_export;
  restore->add_option("--after-export", after_export,
                      "the node's last export the workstation imported (amparo-review gateway "
                      "list): the next export continues after it");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  auto settings = amparo::admin::LoadSettings(config_path);
  if (!settings.ok()) return Fail("cannot read the configuration file", amparo::kExitUsage);
  if (init->parsed()) return RunInit(settings.value());
  if (status->parsed()) return RunStatus(settings.value());
  namespace admin = amparo::admin;
  if (install->parsed()) return admin::RunKeysInstall(settings.value(), bundle_path);
  if (export_command->parsed()) return admin::RunExport(settings.value(), export_path, !no_progress);
  if (import_command->parsed()) return admin::RunImport(settings.value(), import_path);
  if (purge->parsed()) return admin::RunPurge(settings.value(), older_than);
  if (backup->parsed()) return admin::RunBackup(settings.value(), backup_path);
  if (restore->parsed()) return admin::RunRestore(settings.value(), restore_path, after_export);
  return amparo::kExitUsage;
}
