#pragma once
// config.h: the gateway's configuration file: one `key = value` per line,
// '#' comments. Every key has a safe default; unknown keys are refused (a
// typo must not silently leave a default in force); no value may exceed its
// compiled ceiling in common/limits.h.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/server.h"

namespace amparo::gateway {

// kMaxAccountNameBytes bounds `user`, as useradd does.
inline constexpr std::size_t kMaxAccountNameBytes = 32;

struct GatewayConfig {
  ServerOptions server;                        // address, port, threads, timeouts, TLS files
  std::filesystem::path data_dir = "data";     // RocksDB store
  std::filesystem::path web_root;              // static page; empty serves none
  // control_socket is where amparo-admin reaches the running gateway's store
  // (gateway/control_server.h); beside the configuration by default, outside
  // the data folder, which holds the store's files only.
  std::filesystem::path control_socket = "control.sock";
  // Follow-up mailboxes (proto/FOLLOWUP.md): the secret that names them
  // (made by amparo-admin init), how long replies stay, and how many
  // requests each mailbox may make per hour.
  std::filesystem::path mailbox_secret_file = "mailbox.key";
  int mailbox_retention_days = 180;
  int mailbox_requests_per_hour = 60;
  std::uint64_t max_upload_bytes = 500ull * 1024 * 1024;
  int upload_expiry_days = 7;                  // unfinished uploads are removed after this
  std::string log_level = "info";
  std::string root_fingerprint;                // pinned root key; required to accept envelopes
  bool self_signed_certificate = false;        // demo only: create a certificate if none exists
  // user is the account the gateway switches to once its port is bound when
  // started as root (gateway/privileges.h); the data folder must be its own.
  std::string user;
  // sandbox confines the running gateway to what serving needs: a system
  // call allow-list and, where the kernel offers Landlock, its files
  // (gateway/syscall_filter.h, gateway/filesystem_sandbox.h). Tests of the
  // sandbox itself may turn it off; nothing else should.
  bool sandbox = true;
};

// ParseGatewayConfig reads a configuration text over the defaults. Relative
// paths are resolved against base_dir. kInvalidArgument for a malformed line,
// an unknown or repeated key, a bad number or a value past its ceiling;
// kLimitExceeded for a text over kMaxConfigFileBytes.
Result<GatewayConfig> ParseGatewayConfig(std::string_view text,
                                         const std::filesystem::path& base_dir);


}  // namespace amparo::gateway
