// gateway_server_test.cc: the HTTPS server, run for real on a loopback port
// and driven by a real TLS client, keeps its promises: handler answers carry
// the security headers and no Server header; header and body limits hold at
// N and refuse N+1 with 431/413 before the handler sees anything; the
// connection cap, the four stage timeouts and the TLS policy hold; a stop
// lets requests in flight finish; a certificate reload (call or SIGHUP)
// reaches new connections only, and a failed one changes nothing. The onion
// listener serves plain HTTP on loopback alone, to .onion hosts alone, with
// the same limits and timeouts, and without HSTS.

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "gateway/security_headers.h"
#include "gateway/server.h"
#include "gateway/tls.h"
#include "tests/support/fake_handler.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_client.h"

namespace amparo::gateway {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::FakeHandler;
using test::HttpReply;
using test::IoOutcome;
using test::TlsClient;
using test::TlsClientOptions;
using test::TlsVersion;
using Clock = std::chrono::steady_clock;

// Routes of the fake handler.
constexpr std::string_view kHello = "/hello";
constexpr std::string_view kEcho = "/echo";      // echoes bodies up to kEchoLimit bytes
constexpr std::string_view kNoBody = "/nobody";  // accepts no body at all
constexpr std::string_view kSlow = "/slow";      // answers after kSlowDelay
constexpr std::size_t kEchoLimit = 4096;
constexpr milliseconds kSlowDelay{300};
constexpr std::string_view kHelloBody = "hello from the handler\n";
constexpr std::string_view kSlowBody = "late but complete\n";

// kLong is a stage timeout no test waits for, so that a close seen within a
// test's window can only come from the stage it sets short.
constexpr seconds kLong{10};
constexpr seconds kShort{1};

// The Host a request names: the TLS port's tests name the loopback address,
// the onion listener's an onion service.
constexpr std::string_view kLoopbackHost = "127.0.0.1";
constexpr std::string_view kOnionHost =
    "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion";

std::string Request(std::string_view method, std::string_view target,
                    std::string_view headers = "", std::string_view body = "",
                    std::string_view host = kLoopbackHost) {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  request.append("Host: ").append(host).append("\r\n");
  request.append(headers).append("\r\n").append(body);
  return request;
}

std::string Get(std::string_view target, std::string_view host = kLoopbackHost) {
  return Request("GET", target, "", "", host);
}

std::string PostWithLength(std::string_view target, std::string_view body,
                           std::string_view host = kLoopbackHost) {
  return Request("POST", target, "Content-Length: " + std::to_string(body.size()) + "\r\n", body,
                 host);
}

// Chunked encodes `pieces` as chunks followed by the last, empty chunk.
std::string Chunked(const std::vector<std::string>& pieces) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const auto& piece : pieces) {
    std::string size;
    for (std::size_t n = piece.size(); n != 0; n /= 16) size.insert(size.begin(), kDigits[n % 16]);
    out += size + "\r\n" + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string PostChunked(std::string_view target, const std::vector<std::string>& pieces) {
  return Request("POST", target, "Transfer-Encoding: chunked\r\n", Chunked(pieces));
}

// RequestHeadOfSize returns a GET whose request line, header fields and
// final empty line total exactly `total` bytes.
std::string RequestHeadOfSize(std::size_t total, std::string_view host = kLoopbackHost) {
  const std::string prefix = "GET /hello HTTP/1.1\r\nHost: " + std::string(host) + "\r\nX-Fill: ";
  const std::string suffix = "\r\n\r\n";
  return prefix + std::string(total - prefix.size() - suffix.size(), 'a') + suffix;
}

std::string AsString(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

void ExpectSecurityHeadersAndNoServerHeader(const HttpReply& reply,
                                            Transport transport = Transport::kTls) {
  for (const auto& [name, value] : SecurityHeaders(transport)) {
    EXPECT_EQ(reply.HeaderCount(name), 1u) << name;
    EXPECT_EQ(reply.Header(name).value_or("<missing>"), value) << name;
  }
  EXPECT_EQ(reply.HeaderCount("Server"), 0u);
}

TlsClientOptions OnlyVersion(TlsVersion version) {
  TlsClientOptions options;
  options.min_version = version;
  options.max_version = version;
  return options;
}

// NoResponse explains a missing response.
std::string NoResponse(const TlsClient& client) {
  return "no response: " + ::testing::PrintToString(client.last_outcome());
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ExpectClosedAfter waits for the server to close `client` and checks that
// it did so between half and three times `timeout` after `start`.
void ExpectClosedAfter(TlsClient& client, Clock::time_point start, seconds timeout) {
  const auto limit = std::chrono::duration_cast<milliseconds>(3 * timeout) + milliseconds(500);
  const IoOutcome outcome = client.WaitForClose(limit - std::chrono::duration_cast<milliseconds>(
                                                            Clock::now() - start));
  const double elapsed = SecondsSince(start);
  const double expected = static_cast<double>(timeout.count());
  EXPECT_EQ(outcome, IoOutcome::kClosed) << "still open after " << elapsed << " s";
  EXPECT_GE(elapsed, 0.5 * expected) << "closed too early";
  EXPECT_LE(elapsed, 3 * expected) << "closed too late";
}

class GatewayServerTest : public ::testing::Test {
 protected:
  GatewayServerTest() {
    handler_.SetRoute(std::string(kHello), {.body = std::string(kHelloBody)});
    FakeHandler::Route echo;
    echo.body_limit = kEchoLimit;
    echo.content_type = "application/octet-stream";
    echo.echo_body = true;
    handler_.SetRoute(std::string(kEcho), echo);
    handler_.SetRoute(std::string(kNoBody), {.body_limit = 0, .body = "empty is fine\n"});
    handler_.SetRoute(std::string(kSlow), {.body = std::string(kSlowBody), .delay = kSlowDelay});
  }

  void SetUp() override {
    ASSERT_TRUE(GenerateSelfSignedCertificate(certificate(), private_key(), {"127.0.0.1"}).ok());
  }

  void TearDown() override {
    handler_.JoinResponders();
    StopAndJoin();
    server_.reset();
  }

  std::filesystem::path certificate() const { return dir_.path() / "certificate.pem"; }
  std::filesystem::path private_key() const { return dir_.path() / "private-key.pem"; }

  ServerOptions Options() const {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.max_connections = 64;
    options.handshake_timeout = kLong;
    options.header_timeout = kLong;
    options.body_timeout = kLong;
    options.idle_timeout = kLong;
    options.certificate = certificate();
    options.private_key = private_key();
    return options;
  }

  // Start creates the server and runs it on its own thread.
  void Start(const ServerOptions& options) {
    auto server = Server::Create(options, handler_);
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    std::promise<void> returned;
    run_returned_ = returned.get_future();
    run_thread_ = std::thread([this, returned = std::move(returned)]() mutable {
      server_->Run();
      returned.set_value();
    });
  }
  void Start() { Start(Options()); }

  // RunReturnedWithin says whether Run() has returned within `timeout`.
  bool RunReturnedWithin(milliseconds timeout) {
    return run_returned_.valid() &&
           run_returned_.wait_for(timeout) == std::future_status::ready;
  }

  void StopAndJoin() {
    if (!run_thread_.joinable()) return;
    server_->Stop();
    run_thread_.join();
  }

  std::uint16_t port() const { return server_->port(); }

  // ReplaceCertificate generates a new pair and renames it over the files
  // the server was configured with; returns the new certificate's SHA-256.
  std::string ReplaceCertificate() {
    const auto next_certificate = dir_.path() / ("next-certificate-" + std::to_string(++generation_));
    const auto next_key = dir_.path() / ("next-key-" + std::to_string(generation_));
    EXPECT_TRUE(GenerateSelfSignedCertificate(next_certificate, next_key, {"127.0.0.1"}).ok());
    std::filesystem::rename(next_key, private_key());
    std::filesystem::rename(next_certificate, certificate());
    return test::CertificateFileSha256(certificate());
  }

  // WaitForOpenConnectionsAtMost polls the server's count; false on timeout.
  bool WaitForOpenConnectionsAtMost(std::size_t count, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (server_->open_connections() > count) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return true;
  }

  test::TempDir dir_;
  FakeHandler handler_;
  std::unique_ptr<Server> server_;
  std::thread run_thread_;
  std::future<void> run_returned_;
  int generation_ = 0;
};

// ---- 1. Responses ---------------------------------------------------------

TEST_F(GatewayServerTest, GetIsAnsweredByTheHandlerWithEverySecurityHeaderAndNoServerHeader) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, kHelloBody);
  EXPECT_EQ(reply->Header("Content-Type").value_or(""), "text/plain");
  ExpectSecurityHeadersAndNoServerHeader(*reply);
  const auto requests = handler_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].head.method, HttpMethod::kGet);
  EXPECT_EQ(requests[0].head.target, kHello);
  EXPECT_TRUE(requests[0].body.empty());
}

TEST_F(GatewayServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send(Get(kHello))) << "request " << i;
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << "request " << i;
    EXPECT_EQ(reply->status, 200u);
    EXPECT_EQ(reply->body, kHelloBody);
  }
  EXPECT_EQ(handler_.calls(), 2u);
  EXPECT_EQ(server_->open_connections(), 1u);
}

// ---- 2. Request header limit ------------------------------------------------

TEST_F(GatewayServerTest, RequestHeadOfExactlyTheHeaderLimitIsServed) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const std::string request = RequestHeadOfSize(limits::kMaxRequestHeaderBytes);
  ASSERT_EQ(request.size(), limits::kMaxRequestHeaderBytes);
  ASSERT_TRUE(client.Send(request));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(handler_.calls(), 1u);
}

TEST_F(GatewayServerTest, RequestHeadOneByteOverTheHeaderLimitGets431AndTheConnectionCloses) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(RequestHeadOfSize(limits::kMaxRequestHeaderBytes + 1)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->status, 431u) << "the handler was called " << handler_.calls() << " time(s)";
  EXPECT_EQ(reply->body, FakeHandler::kErrorBody);
  ExpectSecurityHeadersAndNoServerHeader(*reply);
  EXPECT_EQ(client.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, RequestHeadArrivingOneLinePerRecordIsStillRefusedOverTheHeaderLimit) {
  ASSERT_NO_FATAL_FAILURE(Start());
  // Four times the limit in 64-byte header lines, each its own TLS record,
  // the records either aligned with the lines or shifted by `carry` bytes
  // into the next line: the limit bounds the whole head, however the bytes
  // happen to arrive.
  const std::string field = "X-Fill: " + std::string(54, 'a') + "\r\n";
  std::string head = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  while (head.size() < 4 * limits::kMaxRequestHeaderBytes) head += field;
  head += "\r\n";
  for (const std::size_t carry : {0u, 1u, 2u}) {
    SCOPED_TRACE("records end " + std::to_string(carry) + " byte(s) into the next line");
    TlsClient client;
    ASSERT_TRUE(client.Connect(port()));
    // Stop sending once the server answers or closes: a server that refuses
    // the head may close while more of it is on the way.
    const auto answered = [&] {
      return client.WaitForClose(milliseconds(0)) != IoOutcome::kTimeout ||
             !client.unread().empty();
    };
    std::size_t at = 0;
    bool sending = true;
    for (std::size_t line_end = head.find("\r\n");
         sending && line_end != std::string::npos && !answered();
         line_end = head.find("\r\n", line_end + 2)) {
      const std::size_t record_end = std::min(line_end + 2 + carry, head.size());
      sending = client.Send(std::string_view(head).substr(at, record_end - at));
      at = record_end;
    }
    if (sending && at < head.size() && !answered()) {
      sending = client.Send(std::string_view(head).substr(at));
      at = head.size();
    }
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 431u) << "after " << at << " of " << head.size() << " bytes";
  }
  EXPECT_EQ(handler_.calls(), 0u);
}

// ---- 3. Body limits -----------------------------------------------------------

TEST_F(GatewayServerTest, ContentLengthBodyAtTheRouteLimitIsServed) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const std::string body(kEchoLimit, 'b');
  ASSERT_TRUE(client.Send(PostWithLength(kEcho, body)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, body);
  ASSERT_EQ(handler_.calls(), 1u);
  EXPECT_EQ(AsString(handler_.requests()[0].body), body);
}

TEST_F(GatewayServerTest, ContentLengthBodyOneByteOverTheRouteLimitGets413WithoutCallingTheHandler) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(PostWithLength(kEcho, std::string(kEchoLimit + 1, 'b'))));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_EQ(reply->body, FakeHandler::kErrorBody);
  ExpectSecurityHeadersAndNoServerHeader(*reply);
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, ChunkedBodyAtTheRouteLimitIsServed) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const std::string first(kEchoLimit - 1, 'c');
  ASSERT_TRUE(client.Send(PostChunked(kEcho, {first, "d"})));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, first + "d");
  EXPECT_EQ(handler_.calls(), 1u);
}

TEST_F(GatewayServerTest, ChunkedBodyOneByteOverTheRouteLimitGets413WithoutCallingTheHandler) {
  ASSERT_NO_FATAL_FAILURE(Start());
  // The limit holds for one oversized chunk and for the sum of small ones.
  const std::vector<std::vector<std::string>> bodies = {
      {std::string(kEchoLimit + 1, 'c')},
      {std::string(kEchoLimit, 'c'), "d"},
  };
  for (const auto& pieces : bodies) {
    TlsClient client;
    ASSERT_TRUE(client.Connect(port()));
    ASSERT_TRUE(client.Send(PostChunked(kEcho, pieces)));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << pieces.size() << " chunks";
    EXPECT_EQ(reply->status, 413u) << pieces.size() << " chunks";
    ExpectSecurityHeadersAndNoServerHeader(*reply);
  }
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, RouteWithBodyLimitZeroServesRequestsWithoutABody) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  for (const std::string& request :
       {Get(kNoBody), PostWithLength(kNoBody, ""), PostChunked(kNoBody, {})}) {
    ASSERT_TRUE(client.Send(request));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << request;
    EXPECT_EQ(reply->status, 200u) << request;
  }
  EXPECT_EQ(handler_.calls(), 3u);
}

TEST_F(GatewayServerTest, RouteWithBodyLimitZeroRefusesAOneByteBodyWith413) {
  ASSERT_NO_FATAL_FAILURE(Start());
  for (const std::string& request : {PostWithLength(kNoBody, "x"), PostChunked(kNoBody, {"x"})}) {
    TlsClient client;
    ASSERT_TRUE(client.Connect(port()));
    ASSERT_TRUE(client.Send(request));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << request << "\n" << NoResponse(client);
    EXPECT_EQ(reply->status, 413u) << request;
  }
  EXPECT_EQ(handler_.calls(), 0u);
}

// ---- 4. Expect: 100-continue ------------------------------------------------

TEST_F(GatewayServerTest, Expect100ContinueIsAnsweredWith100ThenTheFinalResponse) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const std::string body = "sealed bytes";
  ASSERT_TRUE(client.Send(Request(
      "POST", kEcho,
      "Content-Length: " + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n")));
  const auto interim = client.ReadResponse(seconds(2));
  ASSERT_TRUE(interim.has_value()) << NoResponse(client);
  EXPECT_EQ(interim->status, 100u);
  EXPECT_EQ(handler_.calls(), 0u);
  ASSERT_TRUE(client.Send(body));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, body);
}

TEST_F(GatewayServerTest, Expect100ContinueOverTheRouteLimitGets413AndNo100) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Request(
      "POST", kEcho,
      "Content-Length: " + std::to_string(kEchoLimit + 1) + "\r\nExpect: 100-continue\r\n")));
  const auto reply = client.ReadResponse(seconds(2));
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_EQ(handler_.calls(), 0u);
}

// ---- 5. Connection cap --------------------------------------------------------

// Served sends a GET on client and reads its 200.
void ExpectServed(TlsClient& client, std::string_view target = kHello) {
  ASSERT_TRUE(client.Send(Get(target)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
}

// ExpectCut checks that the server closed client without answering.
void ExpectCut(TlsClient& client) {
  client.Send(Get(kHello));
  EXPECT_FALSE(client.ReadResponse(seconds(2)).has_value());
  EXPECT_EQ(client.last_outcome(), IoOutcome::kClosed);
}

TEST_F(GatewayServerTest, AtTheCapANewConnectionClosesTheOldestIdleOne) {
  ServerOptions options = Options();
  options.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient first, second, third;
  ASSERT_TRUE(first.Connect(port()));
  ASSERT_TRUE(second.Connect(port()));
  ASSERT_TRUE(WaitForOpenConnectionsAtMost(2, seconds(2)));

  // An idle flood cannot lock a newcomer out: the oldest idle one goes.
  ASSERT_TRUE(third.Connect(port()));
  ASSERT_NO_FATAL_FAILURE(ExpectServed(third));
  ExpectCut(first);
  ASSERT_NO_FATAL_FAILURE(ExpectServed(second));
  EXPECT_TRUE(WaitForOpenConnectionsAtMost(2, seconds(2)));
}

TEST_F(GatewayServerTest, AConnectionThatCompletesRequestsOutlivesAnIdleNewerOne) {
  ServerOptions options = Options();
  options.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient useful, idle, newcomer;
  ASSERT_TRUE(useful.Connect(port()));
  ASSERT_TRUE(idle.Connect(port()));
  ASSERT_NO_FATAL_FAILURE(ExpectServed(useful));

  ASSERT_TRUE(newcomer.Connect(port()));
  ASSERT_NO_FATAL_FAILURE(ExpectServed(newcomer));
  ExpectCut(idle);
  ASSERT_NO_FATAL_FAILURE(ExpectServed(useful));
}

TEST_F(GatewayServerTest, AtTheCapWithEveryConnectionServedTheNewOneIsClosedAndNoneIsCut) {
  ServerOptions options = Options();
  options.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient first, second;
  ASSERT_TRUE(first.Connect(port()));
  ASSERT_TRUE(second.Connect(port()));
  ASSERT_TRUE(first.Send(Get(kSlow)));
  ASSERT_TRUE(second.Send(Get(kSlow)));
  ASSERT_TRUE(handler_.WaitForCalls(2, seconds(2)));

  TlsClient third;
  ASSERT_TRUE(third.ConnectTcp(port()));  // the kernel completes it; the server then drops it
  EXPECT_FALSE(third.Handshake(seconds(2)));
  EXPECT_EQ(third.last_outcome(), IoOutcome::kClosed);

  // Both requests in the handler are answered in full.
  for (TlsClient* client : {&first, &second}) {
    const auto reply = client->ReadResponse();
    ASSERT_TRUE(reply.has_value()) << NoResponse(*client);
    EXPECT_EQ(reply->status, 200u);
    EXPECT_EQ(reply->body, kSlowBody);
  }
}

TEST_F(GatewayServerTest, LargeBodiesPastTheSharedBudgetGet503ButSmallOnesAreServed) {
  // The /big route takes one body over the unbudgeted size; the budget holds one.
  constexpr std::size_t kBig = limits::kMaxUnbudgetedBodyBytes + 1;
  ServerOptions options = Options();
  options.body_budget_bytes = kBig;
  FakeHandler::Route big;
  big.body_limit = kBig;
  big.echo_body = true;
  handler_.SetRoute("/big", big);
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient holder, small;
  ASSERT_TRUE(holder.Connect(port()));
  ASSERT_TRUE(small.Connect(port()));
  const std::string big_head = Request("POST", "/big", "Content-Length: " + std::to_string(kBig) + "\r\n");
  // holder declares the whole budget and sends none of the body yet.
  ASSERT_TRUE(holder.Send(big_head));
  // Until the server has read holder's header, a large body may still be
  // served; once it has, one is refused. A probe sends its head alone: the
  // refusal comes before the body, and a body written into a connection the
  // server is closing would be cut by a reset and lose the answer.
  std::optional<HttpReply> busy;
  for (int attempt = 0; attempt < 50; ++attempt) {
    TlsClient probe;
    ASSERT_TRUE(probe.Connect(port()));
    ASSERT_TRUE(probe.Send(big_head));
    busy = probe.ReadResponse(milliseconds(200));
    if (busy.has_value()) break;
    ASSERT_EQ(probe.last_outcome(), IoOutcome::kTimeout) << NoResponse(probe);
    // Admitted: finish the body so this probe's share is returned.
    ASSERT_TRUE(probe.Send(std::string(kBig, 'r')));
    busy = probe.ReadResponse();
    ASSERT_TRUE(busy.has_value()) << NoResponse(probe);
    ASSERT_EQ(busy->status, 200u);
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->status, 503u);
  EXPECT_EQ(busy->body, FakeHandler::kErrorBody);
  // A body of kMaxUnbudgetedBodyBytes needs no budget.
  ASSERT_TRUE(small.Send(PostWithLength("/big", std::string(limits::kMaxUnbudgetedBodyBytes, 's'))));
  const auto small_reply = small.ReadResponse();
  ASSERT_TRUE(small_reply.has_value()) << NoResponse(small);
  EXPECT_EQ(small_reply->status, 200u);

  // Once holder's body is complete and answered, the budget is whole again.
  ASSERT_TRUE(holder.Send(std::string(kBig, 'b')));
  const auto echoed = holder.ReadResponse();
  ASSERT_TRUE(echoed.has_value()) << NoResponse(holder);
  EXPECT_EQ(echoed->status, 200u);
  TlsClient later;
  ASSERT_TRUE(later.Connect(port()));
  ASSERT_TRUE(later.Send(PostWithLength("/big", std::string(kBig, 'c'))));
  const auto served = later.ReadResponse();
  ASSERT_TRUE(served.has_value()) << NoResponse(later);
  EXPECT_EQ(served->status, 200u);
}

// ---- 6. Stage timeouts ----------------------------------------------------------

TEST_F(GatewayServerTest, TcpConnectionWithoutClientHelloIsClosedAfterTheHandshakeTimeout) {
  ServerOptions options = Options();
  options.handshake_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(port()));
  const auto start = Clock::now();
  ExpectClosedAfter(client, start, kShort);
  EXPECT_TRUE(client.unread().empty());
}

TEST_F(GatewayServerTest, PartialRequestLineIsClosedAfterTheHeaderTimeout) {
  ServerOptions options = Options();
  options.header_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send("GET /hel"));
  ExpectClosedAfter(client, start, kShort);
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, RequestHeadTrickledByteByByteIsClosedAfterTheHeaderTimeout) {
  ServerOptions options = Options();
  options.header_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const auto start = Clock::now();
  // One byte every 100 ms: each byte would reset a per-read timer, but the
  // deadline covers the whole head.
  const std::string head = RequestHeadOfSize(200);
  IoOutcome outcome = IoOutcome::kTimeout;
  for (std::size_t i = 0; i < head.size() - 1 && outcome == IoOutcome::kTimeout &&
                          SecondsSince(start) < 3.5;
       ++i) {
    if (!client.Send(head.substr(i, 1))) break;
    outcome = client.WaitForClose(milliseconds(100));
  }
  const double elapsed = SecondsSince(start);
  EXPECT_EQ(outcome, IoOutcome::kClosed) << "still open after " << elapsed << " s";
  EXPECT_GE(elapsed, 0.5);
  EXPECT_LE(elapsed, 3.0);
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, PartialRequestLineOnAKeptAliveConnectionIsClosedAfterTheHeaderTimeout) {
  ServerOptions options = Options();
  options.header_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Get(kHello)));
  ASSERT_TRUE(client.ReadResponse().has_value());
  // Once a request has begun, the idle allowance no longer applies.
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send("GET /hel"));
  ExpectClosedAfter(client, start, kShort);
}

TEST_F(GatewayServerTest, HalfAContentLengthBodyIsClosedAfterTheBodyTimeout) {
  ServerOptions options = Options();
  options.body_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(Request("POST", kEcho, "Content-Length: 100\r\n", std::string(50, 'h'))));
  ExpectClosedAfter(client, start, kShort);
  EXPECT_TRUE(client.unread().empty());
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, HalfAChunkedBodyIsClosedAfterTheBodyTimeout) {
  ServerOptions options = Options();
  options.body_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(
      Request("POST", kEcho, "Transfer-Encoding: chunked\r\n", "64\r\n" + std::string(50, 'h'))));
  ExpectClosedAfter(client, start, kShort);
  EXPECT_TRUE(client.unread().empty());
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(GatewayServerTest, IdleKeptAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions options = Options();
  options.idle_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  ExpectClosedAfter(client, Clock::now(), kShort);
}

// ---- 7. TLS policy ------------------------------------------------------------

TEST_F(GatewayServerTest, Tls11ClientIsRefusedWithAProtocolVersionAlert) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClientOptions options = OnlyVersion(TlsVersion::kTls11);
  options.allow_legacy_protocols = true;
  TlsClient client(options);
  ASSERT_TRUE(client.ConnectTcp(port()));
  EXPECT_FALSE(client.Handshake());
  // The alert proves the server saw a TLS 1.1 ClientHello and refused it.
  EXPECT_EQ(client.last_tls_reason(), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
}

TEST_F(GatewayServerTest, Tls12ClientOfferingOnlyANonForwardSecretSuiteIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClientOptions options = OnlyVersion(TlsVersion::kTls12);
  options.tls12_ciphers = "AES128-GCM-SHA256";
  TlsClient client(options);
  ASSERT_TRUE(client.ConnectTcp(port()));
  EXPECT_FALSE(client.Handshake());
  EXPECT_EQ(client.last_tls_reason(), SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
}

TEST_F(GatewayServerTest, Tls12WithEcdheEcdsaAes128GcmIsAccepted) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClientOptions options = OnlyVersion(TlsVersion::kTls12);
  options.tls12_ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  TlsClient client(options);
  ASSERT_TRUE(client.Connect(port()));
  EXPECT_EQ(client.protocol(), "TLSv1.2");
  EXPECT_EQ(client.cipher(), "ECDHE-ECDSA-AES128-GCM-SHA256");
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
}

TEST_F(GatewayServerTest, Tls13IsAccepted) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client(OnlyVersion(TlsVersion::kTls13));
  ASSERT_TRUE(client.Connect(port()));
  EXPECT_EQ(client.protocol(), "TLSv1.3");
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
}

// ---- 8. Graceful stop -----------------------------------------------------------

TEST_F(GatewayServerTest, StopLetsTheRequestInFlightFinishWithItsCompleteResponse) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Get(kSlow)));
  ASSERT_TRUE(handler_.WaitForCalls(1, seconds(2)));
  server_->Stop();  // the handler answers about kSlowDelay later
  const auto reply = client.ReadResponse(seconds(3));
  ASSERT_TRUE(reply.has_value()) << NoResponse(client) << "; Run() had "
                                 << (RunReturnedWithin(milliseconds(0)) ? "" : "not ")
                                 << "returned";
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, kSlowBody);
  EXPECT_EQ(reply->Header("Connection").value_or(""), "close");
  EXPECT_EQ(client.WaitForClose(seconds(2)), IoOutcome::kClosed);
  client.Close();
  EXPECT_TRUE(RunReturnedWithin(seconds(3)));
}

TEST_F(GatewayServerTest, StopClosesIdleConnectionsAndRunReturns) {
  ASSERT_NO_FATAL_FAILURE(Start());  // idle timeout kLong: only the stop can close it
  TlsClient idle;
  ASSERT_TRUE(idle.Connect(port()));
  ASSERT_TRUE(idle.Send(Get(kHello)));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  TlsClient handshaken;  // connected, no request yet
  ASSERT_TRUE(handshaken.Connect(port()));
  const auto start = Clock::now();
  server_->Stop();
  EXPECT_EQ(idle.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_EQ(handshaken.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_TRUE(RunReturnedWithin(seconds(3)));
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(GatewayServerTest, ConnectionAfterStopIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Start());
  server_->Stop();
  ASSERT_TRUE(RunReturnedWithin(seconds(3)));
  TlsClient client;
  EXPECT_FALSE(client.ConnectTcp(port()));
  EXPECT_EQ(client.last_errno(), ECONNREFUSED);
}

// ---- 9. Certificate reload ------------------------------------------------------

TEST_F(GatewayServerTest, ReloadedCertificateReachesNewConnectionsWhileOpenOnesKeepWorking) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string original = test::CertificateFileSha256(certificate());
  ASSERT_FALSE(original.empty());
  TlsClient kept;
  ASSERT_TRUE(kept.Connect(port()));
  EXPECT_EQ(kept.PeerCertificateSha256(), original);
  ASSERT_TRUE(kept.Send(Get(kHello)));
  ASSERT_TRUE(kept.ReadResponse().has_value());

  const std::string replacement = ReplaceCertificate();
  ASSERT_NE(replacement, original);
  ASSERT_TRUE(server_->ReloadCertificate().ok());

  TlsClient fresh;
  ASSERT_TRUE(fresh.Connect(port()));
  EXPECT_EQ(fresh.PeerCertificateSha256(), replacement);
  ASSERT_TRUE(fresh.Send(Get(kHello)));
  const auto fresh_reply = fresh.ReadResponse();
  ASSERT_TRUE(fresh_reply.has_value());
  EXPECT_EQ(fresh_reply->status, 200u);

  ASSERT_TRUE(kept.Send(Get(kHello)));
  const auto kept_reply = kept.ReadResponse();
  ASSERT_TRUE(kept_reply.has_value());
  EXPECT_EQ(kept_reply->status, 200u);
  EXPECT_EQ(kept.PeerCertificateSha256(), original);
}

TEST_F(GatewayServerTest, FailedReloadReportsAnErrorAndKeepsThePreviousCertificate) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string current = test::CertificateFileSha256(certificate());
  const std::string certificate_pem = test::ReadWholeFile(certificate());

  // A file that is not a certificate.
  test::WriteWholeFile(certificate(), "-----BEGIN CERTIFICATE-----\nbroken\n");
  const Status broken = server_->ReloadCertificate();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error(), Error::kIo);
  {
    TlsClient client;
    ASSERT_TRUE(client.Connect(port()));
    EXPECT_EQ(client.PeerCertificateSha256(), current);
  }

  // A valid certificate with a key that is not its own.
  const auto other_certificate = dir_.path() / "other-certificate.pem";
  const auto other_key = dir_.path() / "other-key.pem";
  ASSERT_TRUE(GenerateSelfSignedCertificate(other_certificate, other_key, {"127.0.0.1"}).ok());
  test::WriteWholeFile(certificate(), certificate_pem);
  std::filesystem::rename(other_key, private_key());
  const Status mismatched = server_->ReloadCertificate();
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error(), Error::kIo);

  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  EXPECT_EQ(client.PeerCertificateSha256(), current);
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
}

// ---- 10. Signals ----------------------------------------------------------------

TEST_F(GatewayServerTest, SighupReloadsTheCertificateForNewConnections) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string original = test::CertificateFileSha256(certificate());
  TlsClient kept;
  ASSERT_TRUE(kept.Connect(port()));
  const std::string replacement = ReplaceCertificate();
  ASSERT_NE(replacement, original);

  ASSERT_EQ(std::raise(SIGHUP), 0);
  // The reload runs on the server's threads: poll new connections for it.
  std::string seen;
  const auto deadline = Clock::now() + seconds(3);
  while (Clock::now() < deadline) {
    TlsClient client;
    ASSERT_TRUE(client.Connect(port()));
    seen = client.PeerCertificateSha256();
    if (seen == replacement) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(seen, replacement);
  ASSERT_TRUE(kept.Send(Get(kHello)));
  const auto reply = kept.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
}

TEST_F(GatewayServerTest, SigtermStopsTheServerGracefully) {
  ASSERT_NO_FATAL_FAILURE(Start());
  TlsClient idle;
  ASSERT_TRUE(idle.Connect(port()));
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_EQ(idle.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_TRUE(RunReturnedWithin(seconds(3)));
}

// ---- 11. The onion listener ------------------------------------------------------

// ListeningAddresses returns the local addresses of the IPv4 and IPv6 TCP
// sockets listening on `port`, as /proc/net/tcp{,6} write them (hex).
std::vector<std::string> ListeningAddresses(std::uint16_t port) {
  std::vector<std::string> found;
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the column names
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      const std::size_t colon = local.find(':');
      if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == port_hex) {
        found.push_back(local.substr(0, colon));
      }
    }
  }
  return found;
}

class OnionListenerTest : public GatewayServerTest {
 protected:
  ServerOptions OnionOptions() const {
    ServerOptions options = Options();
    options.onion_port = 0;
    return options;
  }
  void StartOnion() {
    ASSERT_NO_FATAL_FAILURE(Start(OnionOptions()));
    ASSERT_NE(onion_port(), 0);
  }
  std::uint16_t onion_port() const { return server_->onion_port().value_or(0); }
};

TEST_F(GatewayServerTest, WithoutAnOnionPortThereIsNoOnionListener) {
  ASSERT_NO_FATAL_FAILURE(Start());
  EXPECT_FALSE(server_->onion_port().has_value());
}

TEST_F(OnionListenerTest, ServesPlainHttpWithTheSecurityHeadersButNoHsts) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  ASSERT_NE(onion_port(), port());
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  ASSERT_TRUE(client.Send(Get(kHello, kOnionHost)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, kHelloBody);
  ExpectSecurityHeadersAndNoServerHeader(*reply, Transport::kOnion);
  EXPECT_EQ(reply->HeaderCount("Strict-Transport-Security"), 0u);
  // Kept alive, like the TLS port's connections.
  ASSERT_TRUE(client.Send(Get(kHello, kOnionHost)));
  ASSERT_TRUE(client.ReadResponse().has_value()) << NoResponse(client);
  EXPECT_EQ(handler_.calls(), 2u);
}

TEST_F(OnionListenerTest, TheTlsPortIsUnchangedBesideIt) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  TlsClient client;
  ASSERT_TRUE(client.Connect(port()));
  ASSERT_TRUE(client.Send(Get(kHello)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
  ExpectSecurityHeadersAndNoServerHeader(*reply, Transport::kTls);
}

TEST_F(OnionListenerTest, BindsLoopbackOnlyWhateverTheGatewaysAddress) {
  ServerOptions options = OnionOptions();
  options.address = "0.0.0.0";
  ASSERT_NO_FATAL_FAILURE(Start(options));
  // 127.0.0.1 as /proc/net/tcp writes it (host byte order, hex).
  EXPECT_EQ(ListeningAddresses(onion_port()), std::vector<std::string>{"0100007F"});
  EXPECT_EQ(ListeningAddresses(port()), std::vector<std::string>{"00000000"});
}

TEST_F(OnionListenerTest, AHostThatIsNotAnOnionGets421AndNothingElse) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  for (const std::string_view host : {"127.0.0.1", "localhost", "gateway.example.org",
                                      "a.onion.example.org"}) {
    TlsClient client;
    ASSERT_TRUE(client.ConnectTcp(onion_port()));
    ASSERT_TRUE(client.Send(Get(kHello, host)));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << host << ": " << NoResponse(client);
    EXPECT_EQ(reply->status, 421u) << host;
    EXPECT_EQ(reply->body, FakeHandler::kErrorBody) << host;
    ExpectSecurityHeadersAndNoServerHeader(*reply, Transport::kOnion);
    EXPECT_EQ(client.WaitForClose(seconds(2)), IoOutcome::kClosed) << host;
  }
  // No Host at all, or two.
  for (const std::string& request :
       {std::string("GET /hello HTTP/1.1\r\n\r\n"),
        Request("GET", kHello, "Host: " + std::string(kOnionHost) + "\r\n", "", kOnionHost)}) {
    TlsClient client;
    ASSERT_TRUE(client.ConnectTcp(onion_port()));
    ASSERT_TRUE(client.Send(request));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << NoResponse(client);
    EXPECT_EQ(reply->status, 421u);
  }
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(OnionListenerTest, HeaderLimitHoldsAtNAndRefusesNPlusOne) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  {
    TlsClient client;
    ASSERT_TRUE(client.ConnectTcp(onion_port()));
    const std::string request = RequestHeadOfSize(limits::kMaxRequestHeaderBytes, kOnionHost);
    ASSERT_EQ(request.size(), limits::kMaxRequestHeaderBytes);
    ASSERT_TRUE(client.Send(request));
    const auto reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << NoResponse(client);
    EXPECT_EQ(reply->status, 200u);
  }
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  ASSERT_TRUE(client.Send(RequestHeadOfSize(limits::kMaxRequestHeaderBytes + 1, kOnionHost)));
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 431u);
  EXPECT_EQ(client.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_EQ(handler_.calls(), 1u);
}

TEST_F(OnionListenerTest, BodyLimitHoldsAtNAndRefusesNPlusOne) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  const auto post = [](std::size_t size) {
    return PostWithLength(kEcho, std::string(size, 'b'), kOnionHost);
  };
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  ASSERT_TRUE(client.Send(post(kEchoLimit)));
  auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, std::string(kEchoLimit, 'b'));
  ASSERT_TRUE(client.Send(post(kEchoLimit + 1)));
  reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_EQ(handler_.calls(), 1u);
}

TEST_F(OnionListenerTest, ARefusedBodyIsDrainedSoThatTheRefusalArrives) {
  // 413 comes before the body is read; the client goes on sending it. The
  // listener must read and drop it before closing: a close with bytes unread
  // resets the connection, and the reset can destroy the 413 in flight.
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  constexpr std::size_t kSent = 2 * 1024 * 1024;
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  EXPECT_TRUE(client.Send(PostWithLength(kEcho, std::string(kSent, 'b'), kOnionHost)))
      << "the body could not be sent: " << client.last_errno();
  const auto reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 413u);
  EXPECT_EQ(client.WaitForClose(seconds(3)), IoOutcome::kClosed);
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(OnionListenerTest, ASilentConnectionIsClosedAfterTheHeaderTimeout) {
  // No handshake here: the header timeout guards the connection from the
  // start.
  ServerOptions options = OnionOptions();
  options.header_timeout = kShort;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient client;
  const auto start = Clock::now();
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  ExpectClosedAfter(client, start, kShort);
}

TEST_F(OnionListenerTest, ATlsClientGetsNoSession) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  TlsClient client;
  EXPECT_FALSE(client.Connect(onion_port()));
  EXPECT_EQ(handler_.calls(), 0u);
}

TEST_F(OnionListenerTest, ItsConnectionsCountAgainstTheSameCap) {
  ServerOptions options = OnionOptions();
  options.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  TlsClient tls, onion, newcomer;
  ASSERT_TRUE(tls.Connect(port()));
  ASSERT_TRUE(onion.ConnectTcp(onion_port()));
  // Both accepted: one TLS and one plain connection fill the cap of two.
  const auto deadline = Clock::now() + seconds(2);
  while (server_->open_connections() < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(server_->open_connections(), 2u);
  // At the cap, the newcomer takes the oldest idle connection's place.
  ASSERT_TRUE(newcomer.ConnectTcp(onion_port()));
  ASSERT_TRUE(newcomer.Send(Get(kHello, kOnionHost)));
  ASSERT_TRUE(newcomer.ReadResponse().has_value()) << NoResponse(newcomer);
  EXPECT_EQ(tls.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_TRUE(WaitForOpenConnectionsAtMost(2, seconds(2)));
}

TEST_F(OnionListenerTest, StopLetsItsRequestFinishAndClosesIt) {
  ASSERT_NO_FATAL_FAILURE(StartOnion());
  TlsClient client;
  ASSERT_TRUE(client.ConnectTcp(onion_port()));
  ASSERT_TRUE(client.Send(Get(kSlow, kOnionHost)));
  ASSERT_TRUE(handler_.WaitForCalls(1, seconds(2)));
  server_->Stop();
  const auto reply = client.ReadResponse(seconds(3));
  ASSERT_TRUE(reply.has_value()) << NoResponse(client);
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, kSlowBody);
  EXPECT_EQ(client.WaitForClose(seconds(2)), IoOutcome::kClosed);
  EXPECT_TRUE(RunReturnedWithin(seconds(3)));
  TlsClient after;
  EXPECT_FALSE(after.ConnectTcp(onion_port()));
  EXPECT_EQ(after.last_errno(), ECONNREFUSED);
}

}  // namespace
}  // namespace amparo::gateway
