// config_test.cc: the gateway's configuration has safe defaults, refuses
// unknown or repeated keys, and no value can pass its compiled ceiling.

#include "gateway/config.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/config_file.h"
#include "common/limits.h"

namespace amparo::gateway {
namespace {

Result<GatewayConfig> Parse(const std::string& text) { return ParseGatewayConfig(text, "/srv/amparo"); }

bool Accepts(const std::string& key, const std::string& value) {
  return Parse(key + " = " + value + "\n").ok();
}

TEST(GatewayConfigTest, DefaultsAreLoopbackWithBoundedResources) {
  auto config = Parse("");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().server.address, "127.0.0.1");
  EXPECT_EQ(config.value().server.threads, 2u);
  EXPECT_EQ(config.value().server.max_connections, 1024u);
  EXPECT_EQ(config.value().max_upload_bytes, 500ull * 1024 * 1024);
  EXPECT_EQ(config.value().data_dir, std::filesystem::path("/srv/amparo/data"));
  // The control socket is beside the configuration, outside the data folder.
  EXPECT_EQ(config.value().control_socket, std::filesystem::path("/srv/amparo/control.sock"));
  EXPECT_FALSE(config.value().self_signed_certificate);
  EXPECT_TRUE(config.value().root_fingerprint.empty());
  // The sandbox is on unless turned off; no account is assumed.
  EXPECT_TRUE(config.value().sandbox);
  EXPECT_TRUE(config.value().user.empty());
  // No plain listener unless asked for.
  EXPECT_FALSE(config.value().server.onion_port.has_value());
}

TEST(GatewayConfigTest, ReadsTheOnionPortAndRefusesTheGatewaysOwn) {
  auto config = Parse("port = 8443\nonion_port = 8080\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().server.onion_port, std::optional<std::uint16_t>(8080));
  EXPECT_TRUE(Accepts("onion_port", "0"));  // a free port, as for `port`
  EXPECT_TRUE(Accepts("onion_port", "65535"));
  EXPECT_FALSE(Accepts("onion_port", "65536"));
  EXPECT_FALSE(Accepts("onion_port", "-1"));
  EXPECT_FALSE(Accepts("onion_port", ""));
  EXPECT_FALSE(Accepts("onion_port", "80x"));
  // One port cannot serve both TLS and plain HTTP.
  EXPECT_FALSE(Parse("port = 8443\nonion_port = 8443\n").ok());
  EXPECT_FALSE(Parse("onion_port = 8443\n").ok());  // the default port
  EXPECT_TRUE(Parse("port = 0\nonion_port = 0\n").ok());
}

TEST(GatewayConfigTest, ReadsTheAccountAndTheSandboxSwitch) {
  auto config = Parse("user = amparo-gw\nsandbox = no\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().user, "amparo-gw");
  EXPECT_FALSE(config.value().sandbox);
  EXPECT_FALSE(Accepts("sandbox", "off"));
  EXPECT_FALSE(Accepts("user", "-amparo"));
  EXPECT_FALSE(Accepts("user", "amparo gw"));
  EXPECT_FALSE(Accepts("user", "../root"));
  EXPECT_TRUE(Accepts("user", std::string(kMaxAccountNameBytes, 'a')));
  EXPECT_FALSE(Accepts("user", std::string(kMaxAccountNameBytes + 1, 'a')));
}

TEST(GatewayConfigTest, ReadsEveryKeyAndResolvesRelativePaths) {
  auto config = Parse(
      "# comment\n"
      "listen_address = 0.0.0.0\nport = 9443\nthreads = 4\nmax_connections = 100\n"
      "handshake_timeout_seconds = 5\nheader_timeout_seconds = 6\nbody_timeout_seconds = 7\n"
      "idle_timeout_seconds = 8\ncertificate = tls/c.pem\nprivate_key = /etc/k.pem\n"
      "data_dir = store\nweb_root = web\nmax_upload_bytes = 1000\nupload_expiry_days = 3\n"
      "log_level = warn\nroot_fingerprint = abc\nself_signed_certificate = yes\n");
  ASSERT_TRUE(config.ok());
  const auto& c = config.value();
  EXPECT_EQ(c.server.address, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9443);
  EXPECT_EQ(c.server.threads, 4u);
  EXPECT_EQ(c.server.max_connections, 100u);
  EXPECT_EQ(c.server.handshake_timeout.count(), 5);
  EXPECT_EQ(c.server.header_timeout.count(), 6);
  EXPECT_EQ(c.server.body_timeout.count(), 7);
  EXPECT_EQ(c.server.idle_timeout.count(), 8);
  EXPECT_EQ(c.server.certificate, std::filesystem::path("/srv/amparo/tls/c.pem"));
  EXPECT_EQ(c.server.private_key, std::filesystem::path("/etc/k.pem"));
  EXPECT_EQ(c.data_dir, std::filesystem::path("/srv/amparo/store"));
  EXPECT_EQ(c.web_root, std::filesystem::path("/srv/amparo/web"));
  EXPECT_EQ(c.max_upload_bytes, 1000u);
  EXPECT_EQ(c.upload_expiry_days, 3);
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.root_fingerprint, "abc");
  EXPECT_TRUE(c.self_signed_certificate);
}

TEST(GatewayConfigTest, ReadsTheControlSocketAndAcceptsTheOperatorToolsKey) {
  auto config = Parse("control_socket = run/admin.sock\nnode_key_file = /etc/amparo/node.key\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().control_socket, std::filesystem::path("/srv/amparo/run/admin.sock"));
  EXPECT_FALSE(Accepts("control_socket", ""));
  EXPECT_FALSE(Accepts("node_key_file", ""));
}

TEST(GatewayConfigTest, FollowUpMailboxesHaveSafeDefaultsAndCeilings) {
  auto config = Parse("");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().mailbox_secret_file, std::filesystem::path("/srv/amparo/mailbox.key"));
  EXPECT_EQ(config.value().mailbox_retention_days, 180);
  EXPECT_EQ(config.value().mailbox_requests_per_hour, 60);
  const auto n = [](auto value) { return std::to_string(value); };
  EXPECT_TRUE(Accepts("mailbox_retention_days", n(limits::kMaxMailboxRetentionDays)));
  EXPECT_FALSE(Accepts("mailbox_retention_days", n(limits::kMaxMailboxRetentionDays + 1)));
  EXPECT_FALSE(Accepts("mailbox_retention_days", "0"));
  EXPECT_TRUE(Accepts("mailbox_requests_per_hour", n(limits::kMaxMailboxRequestsPerHour)));
  EXPECT_FALSE(Accepts("mailbox_requests_per_hour", n(limits::kMaxMailboxRequestsPerHour + 1)));
  EXPECT_TRUE(Accepts("mailbox_secret_file", "/etc/amparo/mailbox.key"));
}

TEST(GatewayConfigTest, RefusesUnknownRepeatedAndMalformedLines) {
  EXPECT_FALSE(Parse("prot = 443\n").ok());
  EXPECT_FALSE(Parse("port = 443\nport = 444\n").ok());
  EXPECT_FALSE(Parse("port 443\n").ok());
  EXPECT_FALSE(Parse("= 443\n").ok());
  EXPECT_FALSE(Accepts("port", "44x"));
  EXPECT_FALSE(Accepts("port", "-1"));
  EXPECT_FALSE(Accepts("log_level", "verbose"));
  EXPECT_FALSE(Accepts("self_signed_certificate", "true"));
  EXPECT_FALSE(Accepts("listen_address", ""));
}

TEST(GatewayConfigTest, EveryCeilingAcceptedAtNRefusedAtNPlusOne) {
  const auto n = [](auto value) { return std::to_string(value); };
  EXPECT_TRUE(Accepts("threads", n(limits::kMaxServerThreads)));
  EXPECT_FALSE(Accepts("threads", n(limits::kMaxServerThreads + 1)));
  EXPECT_TRUE(Accepts("max_connections", n(limits::kMaxConnections)));
  EXPECT_FALSE(Accepts("max_connections", n(limits::kMaxConnections + 1)));
  EXPECT_TRUE(Accepts("handshake_timeout_seconds", n(limits::kMaxHandshakeSeconds)));
  EXPECT_FALSE(Accepts("handshake_timeout_seconds", n(limits::kMaxHandshakeSeconds + 1)));
  EXPECT_TRUE(Accepts("header_timeout_seconds", n(limits::kMaxHeaderSeconds)));
  EXPECT_FALSE(Accepts("header_timeout_seconds", n(limits::kMaxHeaderSeconds + 1)));
  EXPECT_TRUE(Accepts("body_timeout_seconds", n(limits::kMaxBodySeconds)));
  EXPECT_FALSE(Accepts("body_timeout_seconds", n(limits::kMaxBodySeconds + 1)));
  EXPECT_TRUE(Accepts("idle_timeout_seconds", n(limits::kMaxIdleSeconds)));
  EXPECT_FALSE(Accepts("idle_timeout_seconds", n(limits::kMaxIdleSeconds + 1)));
  EXPECT_TRUE(Accepts("max_upload_bytes", n(limits::kMaxUploadBytes)));
  EXPECT_FALSE(Accepts("max_upload_bytes", n(limits::kMaxUploadBytes + 1)));
  EXPECT_TRUE(Accepts("upload_expiry_days", n(limits::kMaxUploadExpiryDays)));
  EXPECT_FALSE(Accepts("upload_expiry_days", n(limits::kMaxUploadExpiryDays + 1)));
  EXPECT_FALSE(Accepts("threads", "0"));
  EXPECT_FALSE(Accepts("header_timeout_seconds", "0"));
}

TEST(GatewayConfigTest, FileSizeLimitAtNAndNPlusOne) {
  std::string at_limit(kMaxConfigFileBytes, '#');
  at_limit.back() = '\n';
  EXPECT_TRUE(Parse(at_limit).ok());
  EXPECT_EQ(Parse(at_limit + "#").error(), Error::kLimitExceeded);
}

}  // namespace
}  // namespace amparo::gateway
