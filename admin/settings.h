#pragma once
// settings.h: what the operator's tool reads from the gateway's
// configuration file, and opening the store it names.

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/envelope_store.h"

namespace amparo::admin {

// AdminSettings are the keys of the gateway's configuration file that the
// operator's tool needs; the others belong to the server.
struct AdminSettings {
  std::filesystem::path data_dir;
  std::string root_fingerprint;
  // node_key_file holds the node's Ed25519 export-signing key (created by
  // init, mode 0600); default node-export.key beside the configuration.
  std::filesystem::path node_key_file;
  // control_socket is the running gateway's control socket; default
  // control.sock beside the configuration, as the gateway has it.
  std::filesystem::path control_socket;
  // mailbox_secret_file names follow-up mailboxes (created by init);
  // default mailbox.key beside the configuration, as the gateway has it.
  std::filesystem::path mailbox_secret_file;
  // mailbox_retention_days is the gateway's reply retention (default 180):
  // a replies file older than it is refused.
  int mailbox_retention_days = 180;
};

Result<AdminSettings> LoadSettings(const std::string& config_path);

// OpenStore opens the store itself, or, while the gateway runs and holds it
// (RocksDB admits one process), reaches it through the gateway's control
// socket; on failure it has told the operator why.
Result<std::unique_ptr<storage::EnvelopeStore>> OpenStore(const AdminSettings& settings);

// Fail prints "amparo-admin: error: MESSAGE" and returns `code`.
int Fail(std::string_view message, int code);
int FailWith(Error error);

}  // namespace amparo::admin
