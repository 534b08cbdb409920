// amparo-gateway: the intake server. It stores sealed envelopes and can open
// none of them: it links no decryption code (tests/architecture checks).

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "common/clock.h"
#include "common/config_file.h"
#include "common/file_io.h"
#include "crypto/random.h"
#include "crypto/signatures.h"
#include "gateway/api_handler.h"
#include "gateway/config.h"
#include "gateway/control_server.h"
#include "gateway/server.h"
#include "gateway/static_files.h"
#include "gateway/tls.h"
#include "gateway/upload_janitor.h"
#include "protocol/key_bundle.h"
#include "protocol/mailbox_secret.h"
#include "storage/rocksdb_store.h"

namespace {

using amparo::Error;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-gateway: the intake server for sealed allegations"};
  std::string config_path;
  app.add_option("-c,--config", config_path, "configuration file")->required();
  CLI11_PARSE(app, argc, argv);

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

  gateway::StaticFiles files;
  if (!config.value().web_root.empty()) {
    auto loaded = gateway::StaticFiles::Load(config.value().web_root);
    if (!loaded.ok()) return Fail("cannot load the web page files");
    files = std::move(loaded).value();
  }

  amparo::crypto::SystemRandom random;
  gateway::ApiHandler handler(*store.value(), policy, random, clock, files);
  // Follow-up mailboxes need the secret amparo-admin init made.
  gateway::MailboxRateLimiter limiter(config.value().mailbox_requests_per_hour,
                                      gateway::SystemHourClock);
  std::unique_ptr<gateway::MailboxService> mailboxes;
  if (auto secret = amparo::protocol::LoadMailboxSecret(config.value().mailbox_secret_file);
      secret.ok()) {
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
  auto server = gateway::Server::Create(server_options, handler);
  if (!server.ok()) return Fail("cannot listen or load the certificate");
  // The port only: logs name no address, not even the server's own.
  spdlog::info("listening on port {}", server.value()->port());
  server.value()->Run();
  spdlog::info("stopped");
  return 0;
}
