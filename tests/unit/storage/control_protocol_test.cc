// control_protocol_test.cc: the control socket's framing. A frame of exactly
// kMaxControlFrameBytes passes, one byte more is refused either way; a clean
// end, a cut frame, garbage and unknown fields each get their own error; the
// largest listing the store can return fits in one frame; every error crosses
// the socket unchanged.

#include "storage/control_protocol.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace amparo::storage {
namespace {

using v1::ControlRequest;
using v1::ControlResponse;

constexpr std::size_t kN = limits::kMaxControlFrameBytes;

// SocketPair is a connected pair of stream sockets, closed at the end.
class SocketPair {
 public:
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
    a_ = fds[0];
    b_ = fds[1];
  }
  ~SocketPair() {
    CloseA();
    if (b_ >= 0) ::close(b_);
  }
  int a() const { return a_; }
  int b() const { return b_; }
  void CloseA() {
    if (a_ >= 0) ::close(a_);
    a_ = -1;
  }
  // Send writes raw bytes to a, from a thread, so that frames larger than the
  // socket buffer do not block the test; Join waits for it.
  void Send(std::vector<std::uint8_t> bytes, bool close_after) {
    writer_ = std::thread([this, bytes = std::move(bytes), close_after] {
      std::size_t at = 0;
      while (at < bytes.size()) {
        const ssize_t n = ::send(a_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
      }
      if (close_after) ::shutdown(a_, SHUT_WR);
    });
  }
  void Join() {
    if (writer_.joinable()) writer_.join();
  }

 private:
  int a_ = -1;
  int b_ = -1;
  std::thread writer_;
};

// ResponseOfSize is a response whose encoding is exactly `size` bytes: one
// data field, its tag (1 byte) and length varint included.
ControlResponse ResponseOfSize(std::size_t size) {
  std::size_t overhead = 2;
  while (size - overhead >= (std::size_t{1} << (7 * (overhead - 1)))) ++overhead;
  ControlResponse response;
  response.set_data(std::string(size - overhead, 'x'));
  EXPECT_EQ(response.ByteSizeLong(), size);
  return response;
}

std::vector<std::uint8_t> Header(std::uint32_t length) {
  return {static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
          static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
}

TEST(ControlProtocolTest, FrameLengthAtTheLimitIsAcceptedAndOneMoreRefused) {
  const auto at = Header(static_cast<std::uint32_t>(kN));
  const auto over = Header(static_cast<std::uint32_t>(kN + 1));
  auto n = ControlFrameLength(std::span<const std::uint8_t, 4>(at.data(), 4));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), kN);
  auto n1 = ControlFrameLength(std::span<const std::uint8_t, 4>(over.data(), 4));
  ASSERT_FALSE(n1.ok());
  EXPECT_EQ(n1.error(), Error::kLimitExceeded);
}

TEST(ControlProtocolTest, EncodesAMessageOfNBytesAndRefusesNPlusOne) {
  auto at = EncodeControlFrame(ResponseOfSize(kN));
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at.value().size(), kN + kControlFrameHeaderBytes);
  auto over = EncodeControlFrame(ResponseOfSize(kN + 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
}

TEST(ControlProtocolTest, AFrameOfNBytesCrossesTheSocketIntact) {
  SocketPair pair;
  const ControlResponse sent = ResponseOfSize(kN);
  pair.Send(EncodeControlFrame(sent).value(), /*close_after=*/false);
  ControlResponse received;
  ASSERT_TRUE(ReadFrame(pair.b(), &received).ok());
  pair.Join();
  EXPECT_EQ(received.data(), sent.data());
}

TEST(ControlProtocolTest, ReadRefusesAFrameDeclaringNPlusOneBytesWithoutReadingIt) {
  SocketPair pair;
  pair.Send(Header(static_cast<std::uint32_t>(kN + 1)), /*close_after=*/true);
  ControlRequest request;
  const Status read = ReadFrame(pair.b(), &request);
  pair.Join();
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kLimitExceeded);
}

TEST(ControlProtocolTest, WriteRefusesAMessageOverTheLimitAndSendsNothing) {
  SocketPair pair;
  const Status written = WriteFrame(pair.a(), ResponseOfSize(kN + 1));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error(), Error::kLimitExceeded);
  pair.CloseA();
  std::array<std::uint8_t, 1> byte{};
  EXPECT_EQ(::recv(pair.b(), byte.data(), 1, 0), 0);  // end of stream, no byte
}

TEST(ControlProtocolTest, CleanEndCutFrameGarbageAndUnknownFieldsAreTold) {
  {
    SocketPair pair;
    pair.CloseA();
    ControlRequest request;
    EXPECT_EQ(ReadFrame(pair.b(), &request).error(), Error::kUnavailable);
  }
  {
    SocketPair pair;
    pair.Send({0, 0}, /*close_after=*/true);  // half a length prefix
    ControlRequest request;
    EXPECT_EQ(ReadFrame(pair.b(), &request).error(), Error::kIo);
    pair.Join();
  }
  {
    SocketPair pair;
    auto bytes = Header(10);
    bytes.insert(bytes.end(), {8, 1});  // 2 of 10 promised bytes
    pair.Send(bytes, /*close_after=*/true);
    ControlRequest request;
    EXPECT_EQ(ReadFrame(pair.b(), &request).error(), Error::kIo);
    pair.Join();
  }
  const std::vector<std::uint8_t> garbage = {0xff, 0xff, 0xff};
  ControlRequest request;
  EXPECT_EQ(ParseControlMessage(garbage, &request).error(), Error::kMalformedTransfer);
  const std::vector<std::uint8_t> unknown_field = {0x08, 0x01, 0xf8, 0x01, 0x05};  // field 31
  EXPECT_EQ(ParseControlMessage(unknown_field, &request).error(), Error::kMalformedTransfer);
  EXPECT_EQ(request.method(), 0u);  // a refused message leaves nothing behind
  const std::vector<std::uint8_t> known = {0x08, 0x0b};
  ASSERT_TRUE(ParseControlMessage(known, &request).ok());
  EXPECT_EQ(request.method(), static_cast<std::uint32_t>(ControlMethod::kStats));
}

TEST(ControlProtocolTest, TheLargestListingTheStoreReturnsFitsInOneFrame) {
  ControlResponse listing;
  for (std::size_t i = 0; i < limits::kMaxStoreListEnvelopes; ++i) {
    listing.add_seqs(std::numeric_limits<std::uint64_t>::max());
    listing.add_ids(std::string(16, '\xff'));
  }
  EXPECT_LE(listing.ByteSizeLong(), kN);
  ControlRequest deletion;
  for (std::size_t i = 0; i < limits::kMaxStoreDeleteEnvelopes; ++i) {
    deletion.add_ids(std::string(16, '\xff'));
  }
  EXPECT_LE(deletion.ByteSizeLong(), kN);
}

TEST(ControlProtocolTest, EveryErrorRoundTripsAndZeroAndUnknownCodesAreNoError) {
  for (std::uint32_t value = 0; value <= static_cast<std::uint32_t>(Error::kRateLimited); ++value) {
    const auto error = static_cast<Error>(value);
    const auto back = ErrorFromCode(ErrorCode(error));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, error);
    EXPECT_NE(ErrorCode(error), 0u);
  }
  EXPECT_FALSE(ErrorFromCode(0).has_value());
  EXPECT_FALSE(ErrorFromCode(static_cast<std::uint32_t>(Error::kRateLimited) + 2).has_value());
}

TEST(ControlProtocolTest, AReadTimesOutInsteadOfWaitingForever) {
  SocketPair pair;
  ASSERT_TRUE(SetControlTimeouts(pair.b(), ControlTimeouts::kReadsAndWrites,
                                 std::chrono::milliseconds(50))
                  .ok());
  ControlRequest request;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(ReadFrame(pair.b(), &request).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace amparo::storage
