// Fuzzes ParseConfigFile and ParseGatewayConfig: every entry is a trimmed,
// non-empty key and a trimmed value on one line, which written back as
// `key=value` lines parse to the same entries; the gateway accepts a text only
// if the file parses and every key is its own, each value within its ceiling.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "common/config_file.h"
#include "common/limits.h"
#include "common/result.h"
#include "fuzz/fuzz_support.h"
#include "gateway/config.h"

namespace {

using amparo::fuzz::Check;

bool Trimmed(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r";
  return text.find('\n') == std::string_view::npos &&
         (text.empty() || (kBlanks.find(text.front()) == std::string_view::npos &&
                           kBlanks.find(text.back()) == std::string_view::npos));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = amparo::fuzz::AsChars(data, size);
  const auto entries = amparo::ParseConfigFile(text);
  const auto config = amparo::gateway::ParseGatewayConfig(text, "/fuzz/base");
  if (!entries.ok()) {
    Check(!config.ok() && config.error() == entries.error());
    return 0;
  }
  std::string rewritten;
  for (const auto& [key, value] : entries.value()) {
    Check(!key.empty() && Trimmed(key) && Trimmed(value));
    Check(key.find('=') == std::string::npos && key.front() != '#');
    rewritten += key + "=" + value + "\n";
  }
  if (rewritten.size() <= amparo::kMaxConfigFileBytes) {
    const auto again = amparo::ParseConfigFile(rewritten);
    Check(again.ok() && again.value() == entries.value());
  }

  if (!config.ok()) return 0;
  static const std::set<std::string, std::less<>> kKeys = {
      "listen_address",     "port",         "threads",           "max_connections",
      "handshake_timeout_seconds", "header_timeout_seconds", "body_timeout_seconds",
      "idle_timeout_seconds", "certificate", "private_key",      "data_dir",
      "web_root",           "max_upload_bytes", "upload_expiry_days", "root_fingerprint",
      "self_signed_certificate", "log_level", "control_socket", "node_key_file",
      "mailbox_secret_file", "mailbox_retention_days", "mailbox_requests_per_hour", "user",
      "sandbox", "onion_port"};
  for (const auto& entry : entries.value()) Check(kKeys.contains(entry.first));
  const amparo::gateway::GatewayConfig& c = config.value();
  Check(c.max_upload_bytes >= 1 && c.max_upload_bytes <= amparo::limits::kMaxUploadBytes);
  Check(c.upload_expiry_days >= 1 && c.upload_expiry_days <= amparo::limits::kMaxUploadExpiryDays);
  Check(c.server.threads >= 1 && c.server.threads <= amparo::limits::kMaxServerThreads);
  Check(c.server.max_connections >= 1 &&
        c.server.max_connections <= amparo::limits::kMaxConnections);
  Check(c.log_level == "error" || c.log_level == "warn" || c.log_level == "info" ||
        c.log_level == "debug");
  Check(c.data_dir.is_absolute() && c.server.certificate.is_absolute() &&
        c.server.private_key.is_absolute());
  Check(c.web_root.empty() || c.web_root.is_absolute());
  // One port is never both listeners (0 picks two free ones).
  Check(!c.server.onion_port || *c.server.onion_port == 0 || *c.server.onion_port != c.server.port);
  Check(c.control_socket.is_absolute() && c.mailbox_secret_file.is_absolute());
  Check(c.mailbox_retention_days >= 1 &&
        c.mailbox_retention_days <= amparo::limits::kMaxMailboxRetentionDays);
  Check(c.mailbox_requests_per_hour >= 1 &&
        c.mailbox_requests_per_hour <= amparo::limits::kMaxMailboxRequestsPerHour);
  // An account name is a portable POSIX user name, or none.
  Check(c.user.size() <= amparo::gateway::kMaxAccountNameBytes &&
        (c.user.empty() || c.user.front() != '-'));
  for (const char ch : c.user) {
    Check((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '_' || ch == '-');
  }
  return 0;
}
