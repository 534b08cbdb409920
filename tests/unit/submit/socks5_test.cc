#include "submit/socks5.h"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>

#include "submit/tcp.h"
#include "tests/support/loopback_server.h"

namespace amparo::submit {
namespace {

using test::LoopbackServer;
using test::ReceiveExact;
using test::SendAll;

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string FromVector(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// FakeSocks5 is a scripted SOCKS5 proxy: it records the greeting and the
// CONNECT request exactly as received and answers with the scripted bytes.
struct FakeSocks5 {
  std::string method_reply = Bytes({5, 0});
  std::string connect_reply = Bytes({5, 0, 0, 1, 127, 0, 0, 1, 0x1F, 0x90});
  // tunnelled is sent in the same write as connect_reply, as if the gateway
  // had spoken first; the client must leave it in the stream.
  std::string tunnelled;
  bool close_after_greeting = false;

  std::mutex mutex;
  std::string greeting;
  std::string request;

  bool Serve(int fd) {
    auto got_greeting = ReceiveExact(fd, 3);
    if (!got_greeting) return false;
    {
      std::lock_guard lock(mutex);
      greeting = *got_greeting;
    }
    if (close_after_greeting) return false;
    if (!SendAll(fd, method_reply) || method_reply != Bytes({5, 0})) return false;
    auto fixed = ReceiveExact(fd, 4);
    if (!fixed) return false;
    std::string received = *fixed;
    std::size_t rest = 0;
    switch (static_cast<unsigned char>(received[3])) {
      case 1: rest = 4 + 2; break;
      case 4: rest = 16 + 2; break;
      case 3: {
        auto length = ReceiveExact(fd, 1);
        if (!length) return false;
        received += *length;
        rest = static_cast<unsigned char>((*length)[0]) + 2u;
        break;
      }
      default: return false;
    }
    auto tail = ReceiveExact(fd, rest);
    if (!tail) return false;
    {
      std::lock_guard lock(mutex);
      request = received + *tail;
    }
    SendAll(fd, connect_reply + tunnelled);
    // Keep the connection open until the client is done with it.
    ReceiveExact(fd, 1);
    return false;
  }
};

struct Outcome {
  Status status;
  std::string description;
  std::string after;  // bytes the client read from the tunnel afterwards
};

Outcome ConnectThrough(FakeSocks5& fake, std::string_view host, std::uint16_t port,
                       std::size_t read_after = 0,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  LoopbackServer server([&fake](int fd) { return fake.Serve(fd); });
  auto tcp = TcpStream::Connect("127.0.0.1", server.port(), Deadline::InSeconds(5),
                                std::chrono::seconds(5));
  if (!tcp.ok()) std::abort();
  Socks5Outcome socks;
  Outcome outcome{Socks5Connect(*tcp.value(), host, port, Deadline::In(timeout), &socks),
                  std::string(socks.description), {}};
  if (outcome.status.ok() && read_after > 0) {
    std::vector<std::uint8_t> after(read_after);
    if (ReadExact(*tcp.value(), after, Deadline::InSeconds(5)).ok()) {
      outcome.after = FromVector(after);
    }
  }
  tcp.value().reset();  // closes the socket, letting the fake finish
  return outcome;
}

TEST(Socks5Test, GreetingOffersOnlyNoAuthentication) {
  const auto greeting = Socks5Greeting();
  EXPECT_EQ(std::string(greeting.begin(), greeting.end()), Bytes({0x05, 0x01, 0x00}));
}

TEST(Socks5Test, ConnectRequestCarriesTheDomainName) {
  auto request = BuildSocks5ConnectRequest("gw.example", 443);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(FromVector(request.value()),
            Bytes({5, 1, 0, 3, 10}) + "gw.example" + Bytes({0x01, 0xBB}));
}

TEST(Socks5Test, ConnectRequestCarriesIpLiteralsAsAddresses) {
  auto v4 = BuildSocks5ConnectRequest("192.0.2.7", 8443);
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(FromVector(v4.value()), Bytes({5, 1, 0, 1, 192, 0, 2, 7, 0x20, 0xFB}));
  auto v6 = BuildSocks5ConnectRequest("::1", 443);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(FromVector(v6.value()),
            Bytes({5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xBB}));
}

TEST(Socks5Test, HostNameLengthIsBoundedAt255) {
  const std::string at_limit = std::string(251, 'a') + ".com";
  ASSERT_EQ(at_limit.size(), 255u);
  auto request = BuildSocks5ConnectRequest(at_limit, 443);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request.value()[4], 255);
  EXPECT_EQ(BuildSocks5ConnectRequest("a" + at_limit, 443).error(), Error::kInvalidArgument);
  EXPECT_EQ(BuildSocks5ConnectRequest("", 443).error(), Error::kInvalidArgument);
  EXPECT_EQ(BuildSocks5ConnectRequest("a b", 443).error(), Error::kInvalidArgument);
  EXPECT_EQ(BuildSocks5ConnectRequest(std::string("a\0b", 3), 443).error(),
            Error::kInvalidArgument);
}

TEST(Socks5Test, SendsExactBytesAndConnectsByName) {
  FakeSocks5 fake;
  const std::string onion = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion";
  const Outcome outcome = ConnectThrough(fake, onion, 443);
  ASSERT_TRUE(outcome.status.ok()) << outcome.description;
  std::lock_guard lock(fake.mutex);
  EXPECT_EQ(fake.greeting, Bytes({0x05, 0x01, 0x00}));
  EXPECT_EQ(fake.request, Bytes({0x05, 0x01, 0x00, 0x03, static_cast<int>(onion.size())}) + onion +
                              Bytes({0x01, 0xBB}));
}

TEST(Socks5Test, LeavesTunnelledBytesInTheStream) {
  for (const std::string& reply : {
           Bytes({5, 0, 0, 1, 10, 0, 0, 1, 0, 80}),
           Bytes({5, 0, 0, 3, 4}) + "host" + Bytes({0, 80}),
           Bytes({5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80}),
       }) {
    FakeSocks5 fake;
    fake.connect_reply = reply;
    fake.tunnelled = "\x16\x03\x01rest";
    const Outcome outcome = ConnectThrough(fake, "gw.example", 443, fake.tunnelled.size());
    ASSERT_TRUE(outcome.status.ok()) << outcome.description;
    EXPECT_EQ(outcome.after, fake.tunnelled);
  }
}

TEST(Socks5Test, FailureCodesAreReportedWithTheirClass) {
  struct Case {
    int code;
    Error error;
  };
  for (const Case& c : {
           Case{0x01, Error::kUnavailable}, Case{0x02, Error::kIo},
           Case{0x03, Error::kUnavailable}, Case{0x04, Error::kUnavailable},
           Case{0x05, Error::kUnavailable}, Case{0x06, Error::kUnavailable},
           Case{0x07, Error::kIo}, Case{0x08, Error::kIo},
           Case{0x09, Error::kIo},  // unassigned
           Case{0xF0, Error::kUnavailable}, Case{0xF1, Error::kUnavailable},
           Case{0xF2, Error::kUnavailable}, Case{0xF3, Error::kUnavailable},
           Case{0xF4, Error::kIo}, Case{0xF5, Error::kIo},
           Case{0xF6, Error::kInvalidArgument}, Case{0xF7, Error::kUnavailable},
       }) {
    FakeSocks5 fake;
    fake.connect_reply = Bytes({5, c.code, 0, 1, 0, 0, 0, 0, 0, 0});
    const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
    ASSERT_FALSE(outcome.status.ok()) << c.code;
    EXPECT_EQ(outcome.status.error(), c.error) << c.code;
    EXPECT_EQ(outcome.description, Socks5ReplyDescription(static_cast<std::uint8_t>(c.code)));
    EXPECT_FALSE(outcome.description.empty());
  }
}

TEST(Socks5Test, AFailureCodeIsReportedEvenIfTheProxyClosesAtOnce) {
  FakeSocks5 fake;
  fake.connect_reply = Bytes({5, 0x04});
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kUnavailable);
  EXPECT_EQ(outcome.description, Socks5ReplyDescription(0x04));
}

TEST(Socks5Test, AProxyThatWantsAuthenticationIsRefused) {
  FakeSocks5 fake;
  fake.method_reply = Bytes({5, 0xFF});
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kIo);
  EXPECT_EQ(outcome.description, "the proxy requires authentication");
}

TEST(Socks5Test, AMethodThatWasNotOfferedIsRefused) {
  FakeSocks5 fake;
  fake.method_reply = Bytes({5, 2});  // username/password, never offered
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kIo);
}

TEST(Socks5Test, SomethingElseThanSocks5IsRefused) {
  FakeSocks5 fake;
  fake.method_reply = "HT";
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kIo);
  EXPECT_EQ(outcome.description, "the proxy does not speak SOCKS5");
}

TEST(Socks5Test, MalformedRepliesAreRefused) {
  for (const std::string& reply : {
           Bytes({4, 0, 0, 1, 0, 0, 0, 0, 0, 0}),  // version 4
           Bytes({5, 0, 1, 1, 0, 0, 0, 0, 0, 0}),  // reserved byte set
           Bytes({5, 0, 0, 2, 0, 0, 0, 0, 0, 0}),  // unknown address type
       }) {
    FakeSocks5 fake;
    fake.connect_reply = reply;
    const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
    ASSERT_FALSE(outcome.status.ok());
    EXPECT_EQ(outcome.status.error(), Error::kIo);
  }
}

TEST(Socks5Test, AProxyThatClosesIsUnavailable) {
  FakeSocks5 fake;
  fake.close_after_greeting = true;
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kUnavailable);
}

TEST(Socks5Test, ATruncatedReplyIsRefused) {
  FakeSocks5 fake;
  fake.connect_reply = Bytes({5, 0, 0, 1, 127, 0});
  const Outcome outcome = ConnectThrough(fake, "gw.example", 443, 0, std::chrono::milliseconds(300));
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error(), Error::kUnavailable);  // waits, then the deadline passes
}

TEST(Socks5Test, ASilentProxyTimesOut) {
  LoopbackServer server([](int fd) {
    ReceiveExact(fd, 1000);  // reads the greeting, never answers
    return false;
  });
  auto tcp = TcpStream::Connect("127.0.0.1", server.port(), Deadline::InSeconds(5),
                                std::chrono::seconds(5));
  ASSERT_TRUE(tcp.ok());
  Socks5Outcome outcome;
  const auto start = std::chrono::steady_clock::now();
  const Status status = Socks5Connect(*tcp.value(), "gw.example", 443,
                                      Deadline::In(std::chrono::milliseconds(200)), &outcome);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  tcp.value().reset();
}

TEST(Socks5Test, ReplyLengthFollowsTheAddressType) {
  EXPECT_EQ(Socks5ReplyLength(std::vector<std::uint8_t>{5, 0, 0, 1, 9}).value(), 10u);
  EXPECT_EQ(Socks5ReplyLength(std::vector<std::uint8_t>{5, 0, 0, 3, 9}).value(), 4u + 1 + 9 + 2);
  EXPECT_EQ(Socks5ReplyLength(std::vector<std::uint8_t>{5, 0, 0, 4, 9}).value(), 22u);
  EXPECT_EQ(Socks5ReplyLength(std::vector<std::uint8_t>{5, 0, 0, 5, 9}).error(), Error::kIo);
  EXPECT_EQ(Socks5ReplyLength(std::vector<std::uint8_t>{5, 0, 0, 1}).error(), Error::kIo);
  EXPECT_EQ(ParseSocks5Reply(std::vector<std::uint8_t>{5, 0, 0, 1, 1, 2, 3, 4, 0, 80, 0}).error(),
            Error::kIo);  // a trailing byte
}

}  // namespace
}  // namespace amparo::submit
