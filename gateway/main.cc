// amparo-gateway: the intake server. It stores sealed envelopes and can open
// none of them: it links no decryption code (tests/architecture checks).

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <system_error>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/config_file.h"
#include "common/file_io.h"
#include "crypto/random.h"
#include "crypto/signatures.h"
#include "gateway/api_handler.h"
#include "gateway/config.h"
#include "gateway/control_server.h"
#include "gateway/filesystem_sandbox.h"
#include "gateway/handler_slot.h"
#include "gateway/heap_policy.h"
#include "gateway/privileges.h"
#include "gateway/server.h"
#include "gateway/static_files.h"
#include "gateway/syscall_filter.h"
#include "gateway/tls.h"
#include "gateway/upload_janitor.h"
#include "protocol/key_bundle.h"
#include "protocol/mailbox_secret.h"
#include "storage/rocksdb_store.h"

namespace {

using amparo::Error;
using amparo::Result;
using amparo::Status;
namespace gateway = amparo::gateway;

int Fail(std::string_view message) {
  spdlog::error("{}", message);
  return 1;
}

// PolicyFromStore derives what the gateway accepts from the installed key
// bundle, verified again against the pinned root: the store is not trusted
// to hold only what the operator verified.
gateway::ApiPolicy PolicyFromStore(amparo::storage::EnvelopeStore& store,
                                   const gateway::GatewayConfig& config, amparo::Day today) {
  gateway::ApiPolicy policy;
  policy.max_upload_bytes = config.max_upload_bytes;
  auto bundle = store.CurrentKeyBundle();
  if (!bundle.ok() || !bundle.value()) {
    spdlog::warn("no key bundle installed: submissions are refused until one is");
    return policy;
  }
  auto pinned = amparo::crypto::ParseFingerprint(config.root_fingerprint);
  if (!pinned.ok()) {
    spdlog::error("root_fingerprint is missing or malformed: submissions are refused");
    return policy;
  }
  auto verified = amparo::protocol::VerifyKeyBundle(bundle.value()->signed_bytes,
                                                    pinned.value(), today);
  if (!verified.ok()) {
    spdlog::error("the installed key bundle does not verify: {}",
                  amparo::ErrorName(verified.error()));
    return policy;
  }
  policy.accepting = true;
  policy.envelope.lowest_accepted_bundle_version = verified.value().content.lowest_accepted_version;
  spdlog::info("key bundle version {} installed; accepting envelopes sealed against version {} "
               "or later",
               verified.value().content.version, policy.envelope.lowest_accepted_bundle_version);
  return policy;
}

// ResolveAccount decides whom the gateway runs as. Started as root it must
// become `user`; without one it stays root but gives up every capability
// (a demonstration on a machine with no account for it). Started as anyone
// else it stays who it is, and `user` must then be that account or empty.
Result<std::optional<gateway::Account>> ResolveAccount(const gateway::GatewayConfig& config) {
  if (config.user.empty()) return std::optional<gateway::Account>();
  auto account = gateway::LookUpAccount(config.user);
  if (::geteuid() != 0) {
    if (!account.ok() || account.value().uid != ::geteuid()) return Error::kRefused;
    return std::optional<gateway::Account>();
  }
  if (!account.ok()) return account.error();
  return std::optional<gateway::Account>(std::move(account).value());
}

// PrepareForAccount, as root, gives the account what it must write: a data
// folder it owns (made if missing, refused if someone else's) and the
// certificate files it rereads on SIGHUP when they were generated here.
Status PrepareForAccount(const gateway::GatewayConfig& config, const gateway::Account& account,
                         bool generated_certificate) {
  if (generated_certificate) {
    for (const auto& file : {config.server.certificate, config.server.private_key}) {
      if (::chown(file.c_str(), account.uid, account.gid) != 0) return amparo::Error::kIo;
    }
  }
  std::error_code error;
  if (!std::filesystem::exists(config.data_dir, error)) {
    if (!std::filesystem::create_directories(config.data_dir, error)) return amparo::Error::kIo;
    std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all, error);
    if (error || ::chown(config.data_dir.c_str(), account.uid, account.gid) != 0) {
      return amparo::Error::kIo;
    }
  }
  struct stat info {};
  if (::stat(config.data_dir.c_str(), &info) != 0 || info.st_uid != account.uid) {
    spdlog::error("the data folder must belong to user {}", account.name);
    return amparo::Error::kRefused;
  }
  return amparo::OkStatus();
}

// ConfineFilesystem leaves the gateway its store, its control socket's
// folder and its TLS files, and nothing else (where the kernel has Landlock).
Status ConfineFilesystem(const gateway::GatewayConfig& config) {
  gateway::FilesystemAccess access;
  access.read_write_dirs = {config.data_dir};
  access.socket_dirs = {config.control_socket.parent_path()};
  access.read_files = {config.server.certificate, config.server.private_key};
  auto applied = gateway::RestrictFilesystem(access);
  if (!applied.ok()) return applied.error();
  if (applied.value() == 0) {
    spdlog::warn("this kernel has no Landlock: the gateway's files are not confined");
  } else {
    spdlog::info("files confined (Landlock ABI {})", applied.value());
  }
  return amparo::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-gateway: the intake server for sealed allegations"};
  std::string config_path;
  app.add_option("-c,--config", config_path, "configuration file")->required();
  CLI11_PARSE(app, argc, argv);
  if (!gateway::ReturnLargeBuffersToTheSystem()) {
    std::cerr << "amparo-gateway: cannot set the allocator's policy\n";
    return 1;
  }

  // Operational events only, without time stamps: nothing here may date or
  // describe a submission.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("amparo-gateway"));
  spdlog::set_pattern("amparo-gateway [%l] %v");

  const std::filesystem::path config_file = std::filesystem::absolute(config_path);
  auto text = amparo::ReadSmallFile(config_file, amparo::kMaxConfigFileBytes);
  if (!text.ok()) return Fail("cannot read the configuration file");
  auto config = gateway::ParseGatewayConfig(text.value(), config_file.parent_path());
  if (!config.ok()) return Fail("the configuration file is invalid");
  spdlog::set_level(spdlog::level::from_str(config.value().log_level));

  auto& server_options = config.value().server;
  auto account = ResolveAccount(config.value());
  if (!account.ok()) {
    return Fail("`user` names no account this gateway can run as (not root, and the "
                "account it was started as when not started as root)");
  }
  bool generated_certificate = false;
  if (config.value().self_signed_certificate &&
      !std::filesystem::exists(server_options.certificate)) {
    std::filesystem::create_directories(server_options.certificate.parent_path());
    if (!gateway::GenerateSelfSignedCertificate(server_options.certificate,
                                                server_options.private_key,
                                                {"localhost", server_options.address})
             .ok()) {
      return Fail("cannot create the self-signed certificate");
    }
    spdlog::warn("created a SELF-SIGNED DEMO certificate; use a real one in production");
    generated_certificate = true;
  }
  if (account.value() &&
      !PrepareForAccount(config.value(), *account.value(), generated_certificate).ok()) {
    return Fail("cannot prepare the data folder for the gateway's user");
  }

  // What needs root, or holds secrets, comes first: the page's files, the
  // mailbox secret, the port and the TLS key.
  gateway::StaticFiles files;
  if (!config.value().web_root.empty()) {
    auto loaded = gateway::StaticFiles::Load(config.value().web_root);
    if (!loaded.ok()) return Fail("cannot load the web page files");
    files = std::move(loaded).value();
  }
  auto secret = amparo::protocol::LoadMailboxSecret(config.value().mailbox_secret_file);
  gateway::HandlerSlot slot;
  auto server = gateway::Server::Create(server_options, slot);
  if (!server.ok()) return Fail("cannot listen or load the certificate");

  // Then, before any thread exists, the gateway becomes what it will stay.
  if (account.value()) {
    if (!gateway::SwitchToAccount(*account.value()).ok()) return Fail("cannot drop root");
    spdlog::info("running as user {}", account.value()->name);
    if (::access(server_options.certificate.c_str(), R_OK) != 0 ||
        ::access(server_options.private_key.c_str(), R_OK) != 0) {
      spdlog::warn("user {} cannot read the TLS files: SIGHUP will not reload them",
                   account.value()->name);
    }
  } else if (::geteuid() == 0) {
    if (!gateway::DropCapabilities().ok()) return Fail("cannot drop capabilities");
    spdlog::warn("running as root without capabilities: set `user` to run as an account "
                 "of its own");
  }
  if (!gateway::LimitProcess().ok()) return Fail("cannot limit the process");
  if (config.value().sandbox && !ConfineFilesystem(config.value()).ok()) {
    return Fail("cannot confine the gateway's files");
  }

  auto store = amparo::storage::OpenRocksDbStore(config.value().data_dir, {});
  if (!store.ok()) return Fail("cannot open the data folder");

  amparo::SystemClock clock;
  const amparo::Day today = clock.Today();
  // Sweeps once now, then hourly while the gateway runs.
  gateway::UploadJanitor janitor(*store.value(), clock, config.value().upload_expiry_days,
                                 gateway::kUploadJanitorPeriod,
                                 config.value().mailbox_retention_days);
  const gateway::ApiPolicy policy = PolicyFromStore(*store.value(), config.value(), today);

  amparo::crypto::SystemRandom random;
  gateway::ApiHandler handler(*store.value(), policy, random, clock, files);
  // Follow-up mailboxes need the secret amparo-admin init made.
  gateway::MailboxRateLimiter limiter(config.value().mailbox_requests_per_hour,
                                      gateway::SystemHourClock);
  std::unique_ptr<gateway::MailboxService> mailboxes;
  if (secret.ok()) {
    mailboxes = std::make_unique<gateway::MailboxService>(*store.value(), std::move(secret).value(),
                                                          limiter);
    handler.SetMailboxService(mailboxes.get());
  } else {
    spdlog::warn("no mailbox secret (run amparo-admin init): follow-up mailboxes are off");
  }
  // amparo-admin works through this socket while the gateway runs; a bundle
  // it installs applies at once.
  auto control = gateway::ControlServer::Start(
      config.value().control_socket, *store.value(), [&] {
        handler.SetPolicy(PolicyFromStore(*store.value(), config.value(), clock.Today()));
      });
  if (!control.ok()) return Fail("cannot create the control socket");
  slot.Set(handler);
  // Last, with every file, socket and thread in place: the system calls.
  if (config.value().sandbox) {
    if (!gateway::InstallSyscallFilter().ok()) return Fail("cannot install the system call filter");
    spdlog::info("system calls filtered");
  } else {
    spdlog::warn("sandbox = no: the gateway runs unconfined");
  }
  // The port only: logs name no address, not even the server's own.
  spdlog::info("listening on port {}", server.value()->port());
  if (const auto onion = server.value()->onion_port()) {
    spdlog::info("onion listener (plain HTTP, loopback only) on port {}", *onion);
  }
  server.value()->Run();
  spdlog::info("stopped");
  return 0;
}
