// amparo-admin: the operator's tool on the gateway host. It reads and writes
// the gateway's store directly (stop the gateway first: the store admits one
// process at a time) and, like the gateway, links no decryption code.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "common/clock.h"
#include "common/config_file.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/signatures.h"
#include "protocol/key_bundle.h"
#include "storage/rocksdb_store.h"

namespace {

using amparo::Error;
namespace storage = amparo::storage;
namespace protocol = amparo::protocol;

int Fail(std::string_view message, int code) {
  return amparo::ReportFailure(std::cerr, "amparo-admin", message, code);
}

int Fail(Error error) { return Fail(amparo::ErrorName(error), amparo::ExitCodeFor(error)); }

// AdminSettings are the keys of the gateway's configuration file that the
// operator's tool needs; the others belong to the server.
struct AdminSettings {
  std::filesystem::path data_dir;
  std::string root_fingerprint;
};

amparo::Result<AdminSettings> LoadSettings(const std::string& config_path) {
  const std::filesystem::path file = std::filesystem::absolute(config_path);
  auto text = amparo::ReadSmallFile(file, amparo::kMaxConfigFileBytes);
  if (!text.ok()) return Error::kIo;
  auto entries = amparo::ParseConfigFile(text.value());
  if (!entries.ok()) return entries.error();
  AdminSettings settings;
  settings.data_dir = file.parent_path() / "data";
  if (auto it = entries.value().find("data_dir"); it != entries.value().end()) {
    const std::filesystem::path path(it->second);
    settings.data_dir = path.is_absolute() ? path : file.parent_path() / path;
  }
  if (auto it = entries.value().find("root_fingerprint"); it != entries.value().end()) {
    settings.root_fingerprint = it->second;
  }
  return settings;
}

amparo::Result<std::unique_ptr<storage::EnvelopeStore>> OpenStore(const AdminSettings& settings) {
  auto store = storage::OpenRocksDbStore(settings.data_dir, {});
  if (!store.ok()) {
    std::cerr << "amparo-admin: cannot open the store in " << settings.data_dir.string()
              << " (is the gateway running? stop it first)\n";
  }
  return store;
}

int RunInit(const AdminSettings& settings) {
  std::error_code ec;
  std::filesystem::create_directories(settings.data_dir, ec);
  if (ec) return Fail("cannot create the data folder", amparo::kExitIo);
  std::filesystem::permissions(settings.data_dir, std::filesystem::perms::owner_all, ec);
  auto store = OpenStore(settings);
  if (!store.ok()) return Fail(store.error());
  auto stats = store.value()->Stats();
  if (!stats.ok()) return Fail(stats.error());
  if (stats.value().audit_length == 0) {
    auto appended = store.value()->AppendAudit(amparo::SystemClock().Today(), "store initialised");
    if (!appended.ok()) return Fail(appended.error());
    std::cout << "initialised the store in " << settings.data_dir.string() << '\n';
  } else {
    std::cout << "the store in " << settings.data_dir.string() << " is already initialised\n";
  }
  return amparo::kExitSuccess;
}

int RunStatus(const AdminSettings& settings) {
  auto store = OpenStore(settings);
  if (!store.ok()) return Fail(store.error());
  auto stats = store.value()->Stats();
  if (!stats.ok()) return Fail(stats.error());
  auto audit = store.value()->VerifyAuditChain();
  if (!audit.ok()) return Fail(audit.error());
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
            << "disk use: " << s.disk_bytes << " bytes\n";
  return audit.value().intact() ? amparo::kExitSuccess : amparo::kExitBadSignature;
}

int RunKeysInstall(const AdminSettings& settings, const std::string& bundle_path) {
  auto pinned = amparo::crypto::ParseFingerprint(settings.root_fingerprint);
  if (!pinned.ok()) {
    return Fail("root_fingerprint is missing from the configuration or malformed",
                amparo::kExitUsage);
  }
  auto bytes = amparo::ReadSmallFile(bundle_path, amparo::limits::kMaxSignedKeyBundleBytes);
  if (!bytes.ok()) return Fail(bytes.error());
  auto store = OpenStore(settings);
  if (!store.ok()) return Fail(store.error());
  const amparo::Day today = amparo::SystemClock().Today();

  // What was accepted before bounds what may follow: no rollback.
  std::optional<protocol::AcceptedKeyBundle> last;
  auto current = store.value()->CurrentKeyBundle();
  if (!current.ok()) return Fail(current.error());
  if (current.value()) {
    auto verified = protocol::VerifyKeyBundle(current.value()->signed_bytes, pinned.value(), today);
    if (verified.ok()) last = protocol::AcceptedStateOf(verified.value());
  }
  const std::span<const std::uint8_t> candidate(
      reinterpret_cast<const std::uint8_t*>(bytes.value().data()), bytes.value().size());
  auto verified = protocol::VerifyKeyBundle(candidate, pinned.value(), today, last);
  if (!verified.ok()) return Fail(verified.error());
  const std::uint64_t version = verified.value().content.version;
  if (last && version == last->version) {
    return Fail("this key bundle version is already installed", amparo::kExitRejected);
  }
  const amparo::Status stored = store.value()->PutKeyBundle(version, candidate);
  if (!stored.ok()) return Fail(stored.error());
  auto audited =
      store.value()->AppendAudit(today, "key bundle version " + std::to_string(version) + " installed");
  if (!audited.ok()) return Fail(audited.error());
  std::cout << "installed key bundle version " << version << " ("
            << verified.value().content.keys.size() << " recipient keys); restart the gateway\n";
  return amparo::kExitSuccess;
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  auto settings = LoadSettings(config_path);
  if (!settings.ok()) return Fail("cannot read the configuration file", amparo::kExitUsage);
  if (init->parsed()) return RunInit(settings.value());
  if (status->parsed()) return RunStatus(settings.value());
  if (install->parsed()) return RunKeysInstall(settings.value(), bundle_path);
  return amparo::kExitUsage;
}
