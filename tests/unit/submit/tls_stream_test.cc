#include "submit/tls_stream.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>

#include "common/byte_reader.h"
#include "submit/http_client.h"
#include "tests/support/loopback_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificate.h"

namespace amparo::submit {
namespace {

using test::LoopbackServer;
using test::MakeSelfSignedCertificate;
using test::TestCertificate;

// TlsEchoServer accepts TLS connections with `certificate` and answers each
// HTTP request with a fixed 200 response until the client goes away.
class TlsEchoServer {
 public:
  explicit TlsEchoServer(const TestCertificate& certificate)
      : ctx_(test::TlsServerContext(certificate)),
        server_([this](int fd) { return Serve(fd); }) {}
  ~TlsEchoServer() = default;

  std::uint16_t port() const { return server_.port(); }

 private:
  bool Serve(int fd) {
    SSL* ssl = SSL_new(ctx_.get());
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      std::string received;
      char buffer[4096];
      for (;;) {
        const int got = SSL_read(ssl, buffer, sizeof(buffer));
        if (got <= 0) break;
        received.append(buffer, static_cast<std::size_t>(got));
        if (received.find("\r\n\r\n") != std::string::npos) {
          received.clear();
          const std::string reply = test::HttpResponseText(200, "OK", "ok\n");
          SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
        }
      }
    }
    SSL_free(ssl);
    return true;
  }

  struct CtxFree { void operator()(SSL_CTX* p) const { SSL_CTX_free(p); } };
  std::unique_ptr<SSL_CTX, CtxFree> ctx_;
  LoopbackServer server_;
};

struct HandshakeResult {
  Error error = Error::kIo;
  bool ok = false;
  std::string description;
};

HandshakeResult Handshake(std::uint16_t port, const std::string& host, const TlsPolicy& policy) {
  auto context = TlsContext::Create(policy);
  if (!context.ok()) std::abort();
  auto tcp = TcpStream::Connect("127.0.0.1", port, Deadline::InSeconds(5), std::chrono::seconds(5));
  if (!tcp.ok()) std::abort();
  TlsOutcome outcome;
  auto tls = TlsStream::Handshake(*context.value(), std::move(tcp.value()), host,
                                  Deadline::InSeconds(5), &outcome);
  HandshakeResult result;
  result.ok = tls.ok();
  if (!tls.ok()) result.error = tls.error();
  result.description = std::string(outcome.description);
  return result;
}

TEST(TlsStreamTest, AnUntrustedCertificateFailsByDefault) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost,IP:127.0.0.1");
  TlsEchoServer server(certificate);
  const HandshakeResult result = Handshake(server.port(), "localhost", TlsPolicy{});
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.error, Error::kBadSignature);
  EXPECT_EQ(result.description, "the gateway's TLS certificate is self-signed and not trusted");
}

TEST(TlsStreamTest, ACaFileMakesTheCertificateTrusted) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost,IP:127.0.0.1");
  TlsEchoServer server(certificate);
  test::TempDir dir;
  test::WriteWholeFile(dir.path() / "ca.pem", certificate.Pem());
  TlsPolicy policy;
  policy.cacert_file = (dir.path() / "ca.pem").string();
  EXPECT_TRUE(Handshake(server.port(), "localhost", policy).ok);
  EXPECT_TRUE(Handshake(server.port(), "127.0.0.1", policy).ok);
  const HandshakeResult wrong_name = Handshake(server.port(), "gw.example", policy);
  ASSERT_FALSE(wrong_name.ok);
  EXPECT_EQ(wrong_name.error, Error::kBadSignature);
  EXPECT_EQ(wrong_name.description, "the gateway's TLS certificate does not name this host");
}

TEST(TlsStreamTest, AnotherCertificateInTheCaFileDoesNotHelp) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost");
  const TestCertificate other = MakeSelfSignedCertificate("DNS:localhost");
  TlsEchoServer server(certificate);
  test::TempDir dir;
  test::WriteWholeFile(dir.path() / "ca.pem", other.Pem());
  TlsPolicy policy;
  policy.cacert_file = (dir.path() / "ca.pem").string();
  const HandshakeResult result = Handshake(server.port(), "localhost", policy);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.error, Error::kBadSignature);
}

TEST(TlsStreamTest, AMissingCaFileIsAnError) {
  TlsPolicy policy;
  policy.cacert_file = "/nonexistent/ca.pem";
  auto context = TlsContext::Create(policy);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.error(), Error::kIo);
}

TEST(TlsStreamTest, InsecureDemoAcceptsOnlyASelfSignedCertificateForTheRightName) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost,IP:127.0.0.1");
  TlsEchoServer server(certificate);
  TlsPolicy policy;
  policy.insecure_demo = true;
  EXPECT_TRUE(Handshake(server.port(), "localhost", policy).ok);
  EXPECT_TRUE(Handshake(server.port(), "127.0.0.1", policy).ok);
  const HandshakeResult wrong_name = Handshake(server.port(), "gw.example", policy);
  ASSERT_FALSE(wrong_name.ok);
  EXPECT_EQ(wrong_name.error, Error::kBadSignature);
}

TEST(TlsStreamTest, InsecureDemoStillRefusesAnExpiredCertificate) {
  const TestCertificate expired =
      MakeSelfSignedCertificate("DNS:localhost", -7200, -3600);
  TlsEchoServer server(expired);
  TlsPolicy policy;
  policy.insecure_demo = true;
  const HandshakeResult result = Handshake(server.port(), "localhost", policy);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.error, Error::kBadSignature);
  EXPECT_EQ(result.description, "the gateway's TLS certificate has expired");
}

TEST(TlsStreamTest, CarriesHttpOverOneConnection) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost");
  TlsEchoServer server(certificate);
  ClientOptions options;
  options.gateway.address = {"localhost", server.port()};
  options.gateway.host_header = "localhost:" + std::to_string(server.port());
  options.tls.insecure_demo = true;
  auto client = GatewayClient::Create(options);
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    auto reply = client.value()->Get("/v1/health", 16);
    ASSERT_TRUE(reply.ok()) << client.value()->last_failure();
    EXPECT_EQ(reply.value().status, 200);
    EXPECT_EQ(std::string(AsText(reply.value().body)), "ok\n");
  }
  EXPECT_EQ(client.value()->connections_opened(), 1u);
}

TEST(TlsStreamTest, ACertificateFailureIsReportedByTheClient) {
  const TestCertificate certificate = MakeSelfSignedCertificate("DNS:localhost");
  TlsEchoServer server(certificate);
  ClientOptions options;
  options.gateway.address = {"localhost", server.port()};
  options.gateway.host_header = "localhost";
  auto client = GatewayClient::Create(options);
  ASSERT_TRUE(client.ok());
  auto reply = client.value()->Get("/v1/health", 16);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kBadSignature);
  EXPECT_EQ(client.value()->last_failure(),
            "the gateway's TLS certificate is self-signed and not trusted");
}

}  // namespace
}  // namespace amparo::submit
