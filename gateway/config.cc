#include "gateway/config.h"

#include <charconv>
#include <functional>
#include <map>

#include "common/ascii.h"
#include "common/config_file.h"
#include "common/limits.h"

namespace amparo::gateway {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T minimum, T maximum, T* out) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  if (value < minimum || value > maximum) return false;
  *out = value;
  return true;
}

bool ParseSeconds(std::string_view text, int maximum, std::chrono::seconds* out) {
  int value = 0;
  if (!ParseNumber(text, 1, maximum, &value)) return false;
  *out = std::chrono::seconds(value);
  return true;
}

// IsAccountName accepts the portable user names of POSIX (letters, digits,
// '.', '_', '-', not starting with '-'), at most kMaxAccountNameBytes.
bool IsAccountName(std::string_view name) {
  if (name.empty() || name.size() > kMaxAccountNameBytes || name.front() == '-') return false;
  for (const char c : name) {
    const bool portable = IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-';
    if (!portable) return false;
  }
  return true;
}

std::filesystem::path Resolve(std::string_view text, const std::filesystem::path& base) {
  std::filesystem::path path(text);
  return path.is_absolute() ? path : base / path;
}

}  // namespace

Result<GatewayConfig> ParseGatewayConfig(std::string_view text,
                                         const std::filesystem::path& base_dir) {
  GatewayConfig config;
  ServerOptions& server = config.server;
  server.certificate = base_dir / "tls" / "certificate.pem";
  server.private_key = base_dir / "tls" / "private-key.pem";
  config.data_dir = base_dir / "data";
  config.control_socket = base_dir / "control.sock";
  config.mailbox_secret_file = base_dir / "mailbox.key";

  using Setter = std::function<bool(std::string_view)>;
  const std::map<std::string_view, Setter> setters = {
      {"listen_address", [&](std::string_view v) { server.address = std::string(v); return !v.empty(); }},
      {"port", [&](std::string_view v) { return ParseNumber<std::uint16_t>(v, 0, 65535, &server.port); }},
      {"onion_port", [&](std::string_view v) {
         std::uint16_t port = 0;
         if (!ParseNumber<std::uint16_t>(v, 0, 65535, &port)) return false;
         server.onion_port = port;
         return true; }},
      {"threads", [&](std::string_view v) {
         return ParseNumber<std::size_t>(v, 1, limits::kMaxServerThreads, &server.threads); }},
      {"max_connections", [&](std::string_view v) {
         return ParseNumber<std::size_t>(v, 1, limits::kMaxConnections, &server.max_connections); }},
      {"handshake_timeout_seconds", [&](std::string_view v) {
         return ParseSeconds(v, limits::kMaxHandshakeSeconds, &server.handshake_timeout); }},
      {"header_timeout_seconds", [&](std::string_view v) {
         return ParseSeconds(v, limits::kMaxHeaderSeconds, &server.header_timeout); }},
      {"body_timeout_seconds", [&](std::string_view v) {
         return ParseSeconds(v, limits::kMaxBodySeconds, &server.body_timeout); }},
      {"idle_timeout_seconds", [&](std::string_view v) {
         return ParseSeconds(v, limits::kMaxIdleSeconds, &server.idle_timeout); }},
      {"certificate", [&](std::string_view v) { server.certificate = Resolve(v, base_dir); return true; }},
      {"private_key", [&](std::string_view v) { server.private_key = Resolve(v, base_dir); return true; }},
      {"data_dir", [&](std::string_view v) { config.data_dir = Resolve(v, base_dir); return true; }},
      {"web_root", [&](std::string_view v) { config.web_root = Resolve(v, base_dir); return true; }},
      {"control_socket", [&](std::string_view v) {
         config.control_socket = Resolve(v, base_dir); return !v.empty(); }},
      {"mailbox_secret_file", [&](std::string_view v) {
         config.mailbox_secret_file = Resolve(v, base_dir); return !v.empty(); }},
      {"mailbox_retention_days", [&](std::string_view v) {
         return ParseNumber<int>(v, 1, limits::kMaxMailboxRetentionDays, &config.mailbox_retention_days); }},
      {"mailbox_requests_per_hour", [&](std::string_view v) {
         return ParseNumber<int>(v, 1, limits::kMaxMailboxRequestsPerHour, &config.mailbox_requests_per_hour); }},
      // The operator's tool reads this one; the server only accepts it.
      {"node_key_file", [&](std::string_view v) { return !v.empty(); }},
      {"max_upload_bytes", [&](std::string_view v) {
         return ParseNumber<std::uint64_t>(v, 1, limits::kMaxUploadBytes, &config.max_upload_bytes); }},
      {"upload_expiry_days", [&](std::string_view v) {
         return ParseNumber<int>(v, 1, limits::kMaxUploadExpiryDays, &config.upload_expiry_days); }},
      {"root_fingerprint", [&](std::string_view v) {
         config.root_fingerprint = std::string(v);
         return !v.empty(); }},
      {"self_signed_certificate", [&](std::string_view v) {
         config.self_signed_certificate = v == "yes";
         return v == "yes" || v == "no"; }},
      {"user", [&](std::string_view v) {
         config.user = std::string(v);
         return IsAccountName(v); }},
      {"sandbox", [&](std::string_view v) {
         config.sandbox = v == "yes";
         return v == "yes" || v == "no"; }},
      {"log_level", [&](std::string_view v) {
         config.log_level = std::string(v);
         return v == "error" || v == "warn" || v == "info" || v == "debug"; }},
  };

  auto entries = ParseConfigFile(text);
  if (!entries.ok()) return entries.error();
  for (const auto& [key, value] : entries.value()) {
    const auto setter = setters.find(key);
    if (setter == setters.end() || !setter->second(value)) return Error::kInvalidArgument;
  }
  // One port cannot be both listeners (0 picks two free ones).
  if (server.onion_port && *server.onion_port != 0 && *server.onion_port == server.port) {
    return Error::kInvalidArgument;
  }
  return config;
}

}  // namespace amparo::gateway
