#include "submit/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "submit/tcp.h"
#include "tests/support/loopback_server.h"
#include "tests/support/plain_connector.h"

namespace amparo::submit {
namespace {

using test::HttpResponseText;
using test::LoopbackServer;
using test::ReceiveHttpRequest;
using test::PlainConnector;
using test::SendAll;

// Recorder keeps the requests a fake gateway received.
struct Recorder {
  std::mutex mutex;
  std::vector<std::string> requests;
  void Add(const test::ReceivedRequest& request) {
    std::lock_guard lock(mutex);
    requests.push_back(request.head + request.body);
  }
  std::vector<std::string> Get() {
    std::lock_guard lock(mutex);
    return requests;
  }
};

GatewayClient MakeClient(const LoopbackServer& server,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return GatewayClient(std::make_unique<PlainConnector>(server.port()), "gw.example", timeout);
}

std::string Text(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(GatewayClientTest, SendsAMinimalGetAndReadsTheReply) {
  Recorder recorder;
  LoopbackServer server([&](int fd) {
    auto request = ReceiveHttpRequest(fd);
    if (!request) return false;
    recorder.Add(*request);
    SendAll(fd, HttpResponseText(200, "OK", "bundle"));
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 100);
  ASSERT_TRUE(reply.ok()) << client.last_failure();
  EXPECT_EQ(reply.value().status, 200);
  EXPECT_EQ(reply.value().content_type, "application/x-protobuf");
  EXPECT_EQ(Text(reply.value().body), "bundle");
  // Nothing that describes the device: no User-Agent, no Accept-Language.
  EXPECT_EQ(recorder.Get(), std::vector<std::string>{"GET /v1/keys HTTP/1.1\r\nHost: gw.example\r\n\r\n"});
}

TEST(GatewayClientTest, PostAndPutCarryTypeLengthAndBody) {
  Recorder recorder;
  LoopbackServer server([&](int fd) {
    for (;;) {
      auto request = ReceiveHttpRequest(fd);
      if (!request) return false;
      recorder.Add(*request);
      SendAll(fd, HttpResponseText(201, "Created", "r"));
    }
  });
  GatewayClient client = MakeClient(server);
  const std::string body("AMPE\x00\x07", 6);
  auto posted = client.Post("/v1/submissions", "application/octet-stream", AsBytes(body), 100);
  ASSERT_TRUE(posted.ok()) << client.last_failure();
  auto put = client.Put("/v1/uploads/ab?offset=3", "application/octet-stream", AsBytes("xyz"), 100);
  ASSERT_TRUE(put.ok()) << client.last_failure();
  auto empty = client.Post("/v1/uploads/ab/finalize", "", {}, 100);
  ASSERT_TRUE(empty.ok()) << client.last_failure();
  const auto requests = recorder.Get();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0],
            "POST /v1/submissions HTTP/1.1\r\nHost: gw.example\r\nContent-Type: "
            "application/octet-stream\r\nContent-Length: 6\r\n\r\n" + body);
  EXPECT_EQ(requests[1],
            "PUT /v1/uploads/ab?offset=3 HTTP/1.1\r\nHost: gw.example\r\nContent-Type: "
            "application/octet-stream\r\nContent-Length: 3\r\n\r\nxyz");
  EXPECT_EQ(requests[2],
            "POST /v1/uploads/ab/finalize HTTP/1.1\r\nHost: gw.example\r\nContent-Length: 0\r\n\r\n");
}

TEST(GatewayClientTest, ReusesOneKeepAliveConnection) {
  LoopbackServer server([&](int fd) {
    while (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "x"));
    return true;
  });
  GatewayClient client = MakeClient(server);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Get("/v1/health", 10).ok());
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(GatewayClientTest, ReconnectsWhenTheGatewayClosedTheIdleConnection) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "x"));
    return true;  // closes after one answer
  });
  GatewayClient client = MakeClient(server);
  ASSERT_TRUE(client.Get("/v1/health", 10).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto second = client.Get("/v1/health", 10);
  ASSERT_TRUE(second.ok()) << client.last_failure();
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(GatewayClientTest, ResendsOnceWhenAReusedConnectionClosesBeforeAnswering) {
  std::atomic<int> connection{0};
  LoopbackServer server([&](int fd) {
    if (++connection == 1) {
      if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "1"));
      ReceiveHttpRequest(fd);  // the second request: read, then close unanswered
      return true;
    }
    if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "2"));
    return true;
  });
  GatewayClient client = MakeClient(server);
  ASSERT_TRUE(client.Get("/a", 10).ok());
  auto second = client.Get("/b", 10);
  ASSERT_TRUE(second.ok()) << client.last_failure();
  EXPECT_EQ(Text(second.value().body), "2");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(GatewayClientTest, DoesNotResendOnAFreshConnection) {
  std::atomic<int> requests{0};
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) ++requests;
    return true;  // close without answering
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Post("/v1/submissions", "application/octet-stream", AsBytes("x"), 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kUnavailable);
  EXPECT_EQ(requests.load(), 1);
}

TEST(GatewayClientTest, ConnectionCloseIsHonoured) {
  LoopbackServer server([&](int fd) {
    while (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "x", "Connection: close\r\n"));
    return true;
  });
  GatewayClient client = MakeClient(server);
  ASSERT_TRUE(client.Get("/a", 10).ok());
  ASSERT_TRUE(client.Get("/b", 10).ok());
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(GatewayClientTest, ATruncatedBodyIsABrokenConnection) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 100);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kUnavailable);
  EXPECT_FALSE(client.last_failure().empty());
}

TEST(GatewayClientTest, ATruncatedHeadIsABrokenConnection) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Le");
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 100);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kUnavailable);
}

TEST(GatewayClientTest, ABodyOverTheCallersLimitIsRefused) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", std::string(11, 'x')));
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kLimitExceeded);
}

TEST(GatewayClientTest, ExtraBytesAfterTheBodyAreRefused) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(200, "OK", "x") + "junk");
    ReceiveHttpRequest(fd);
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kIo);
}

TEST(GatewayClientTest, SomethingOtherThanHttpFailsAtOnce) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, "SSH-2.0-OpenSSH\r\n");
    test::ReceiveExact(fd, 1);  // keep the connection open
    return false;
  });
  GatewayClient client = MakeClient(server, std::chrono::seconds(20));
  const auto start = std::chrono::steady_clock::now();
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kIo);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(GatewayClientTest, ASilentGatewayTimesOut) {
  LoopbackServer server([&](int fd) {
    ReceiveHttpRequest(fd);
    test::ReceiveExact(fd, 1);  // never answers; returns when the client closes
    return false;
  });
  GatewayClient client = MakeClient(server, std::chrono::milliseconds(200));
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kUnavailable);
}

TEST(GatewayClientTest, ErrorStatusesAreReplies) {
  LoopbackServer server([&](int fd) {
    if (ReceiveHttpRequest(fd)) SendAll(fd, HttpResponseText(409, "Conflict", "e"));
    return false;
  });
  GatewayClient client = MakeClient(server);
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value().status, 409);
}

TEST(GatewayClientTest, ConnectFailureReportsTheConnectorsReason) {
  std::uint16_t closed_port = 0;
  { LoopbackServer gone([](int) { return false; }); closed_port = gone.port(); }
  GatewayClient client(std::make_unique<PlainConnector>(closed_port), "gw.example");
  auto reply = client.Get("/v1/keys", 10);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error(), Error::kUnavailable);
  EXPECT_EQ(client.last_failure(), "cannot connect (test)");
}

TEST(GatewayClientTest, BadTargetsAreRefusedBeforeConnecting) {
  GatewayClient client(std::make_unique<PlainConnector>(1), "gw.example");
  EXPECT_EQ(client.Get("v1/keys", 10).error(), Error::kInvalidArgument);
  EXPECT_EQ(client.Get("/v1/keys HTTP/1.1\r\nX: y", 10).error(), Error::kInvalidArgument);
  EXPECT_EQ(client.connections_opened(), 0u);
}

TEST(TlsConnectorTest, AnOnionGatewayNeedsAProxy) {
  ClientOptions options;
  options.gateway.address = {"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", 443};
  options.gateway.onion = true;
  auto connector = TlsConnector::Create(options);
  ASSERT_FALSE(connector.ok());
  EXPECT_EQ(connector.error(), Error::kInvalidArgument);
  options.socks5 = HostPort{"127.0.0.1", 9050};
  EXPECT_TRUE(TlsConnector::Create(options).ok());
}

TEST(TlsConnectorTest, PlainHttpIsForOnionServicesThroughAProxyOnly) {
  ClientOptions options;
  options.gateway.address = {"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", 80};
  options.gateway.onion = true;
  options.gateway.tls = false;
  EXPECT_EQ(TlsConnector::Create(options).error(), Error::kInvalidArgument);
  options.socks5 = HostPort{"127.0.0.1", 9050};
  EXPECT_TRUE(TlsConnector::Create(options).ok());
  // Built by hand, bypassing ParseGatewayUrl: still refused.
  options.gateway.address = {"gw.example", 80};
  options.gateway.onion = false;
  EXPECT_EQ(TlsConnector::Create(options).error(), Error::kInvalidArgument);
}

}  // namespace
}  // namespace amparo::submit
