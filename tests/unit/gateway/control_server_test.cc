// control_server_test.cc: the control socket end to end, over a real Unix
// socket and a real RocksDB store in a temporary folder. Every store call made
// through ConnectRemoteStore returns what the same call on the store returns,
// errors included; intake is refused; the socket is private; a client that
// stops answering or sends garbage is dropped without stopping the server,
// and stopping the server does not wait on it.

#include "gateway/control_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/io.h"
#include "storage/remote_store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::gateway {
namespace {

using storage::EnvelopeId;
using storage::EnvelopeStore;
using storage::StoredReply;
using storage::test::ContentFor;
using storage::test::EnvelopeNumber;
using storage::test::kToday;
using storage::test::UploadNumber;

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::test::OpenOrDie(dir_.path() / "data");
    socket_ = dir_.path() / "control.sock";
  }

  void Start(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto server = ControlServer::Start(socket_, *store_, [this] { ++bundles_installed_; }, timeout);
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
  }

  std::unique_ptr<EnvelopeStore> Connect() {
    auto remote = storage::ConnectRemoteStore(socket_);
    EXPECT_TRUE(remote.ok());
    return remote.ok() ? std::move(remote).value() : nullptr;
  }

  // RawConnect is a client that speaks no protocol; -1 on failure.
  int RawConnect() {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  test::TempDir dir_;
  std::unique_ptr<EnvelopeStore> store_;
  std::filesystem::path socket_;
  std::atomic<int> bundles_installed_{0};
  std::unique_ptr<ControlServer> server_;  // last: stops before the store closes
};

TEST_F(ControlServerTest, TheSocketIsPrivateAndRemovedWhenTheServerStops) {
  Start();
  struct stat info{};
  ASSERT_EQ(::stat(socket_.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  server_.reset();
  EXPECT_FALSE(std::filesystem::exists(socket_));
  auto remote = storage::ConnectRemoteStore(socket_);
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error(), Error::kUnavailable);
}

TEST_F(ControlServerTest, AStaleSocketIsReplacedButAnOrdinaryFileIsLeftAlone) {
  Start();
  server_.reset();
  {
    // A socket left behind, as after SIGKILL: bind one and never listen.
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ::close(fd);
  }
  Start();
  EXPECT_NE(Connect(), nullptr);
  server_.reset();

  std::ofstream(socket_) << "not a socket";
  auto refused = ControlServer::Start(socket_, *store_, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), Error::kIo);
  std::ifstream in(socket_);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "not a socket");
}

TEST_F(ControlServerTest, ExportQueueAndEnvelopesReadAsTheStoreHasThem) {
  // A 2.5 MiB envelope crosses in three chunks; the small ones in one.
  const std::vector<std::size_t> sizes = {1, 4096, 5 * 512 * 1024};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ASSERT_TRUE(
        store_->PutEnvelope(EnvelopeNumber(i + 1), ContentFor(EnvelopeNumber(i + 1), sizes[i]), kToday)
            .ok());
  }
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);

  auto local_list = store_->ListEnvelopes(0, 10);
  auto remote_list = remote->ListEnvelopes(0, 10);
  ASSERT_TRUE(local_list.ok() && remote_list.ok());
  ASSERT_EQ(remote_list.value().size(), sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(remote_list.value()[i].seq, local_list.value()[i].seq);
    EXPECT_EQ(remote_list.value()[i].id, local_list.value()[i].id);
  }
  auto after_first = remote->ListEnvelopes(local_list.value()[0].seq, 1);
  ASSERT_TRUE(after_first.ok());
  ASSERT_EQ(after_first.value().size(), 1u);
  EXPECT_EQ(after_first.value()[0].id, EnvelopeNumber(2));

  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const EnvelopeId id = EnvelopeNumber(i + 1);
    auto info = remote->DescribeEnvelope(id);
    auto expected = store_->DescribeEnvelope(id);
    ASSERT_TRUE(info.ok() && expected.ok());
    EXPECT_EQ(info.value().seq, expected.value().seq);
    EXPECT_EQ(info.value().day, kToday);
    EXPECT_EQ(info.value().size, sizes[i]);
    VectorSink sink;
    ASSERT_TRUE(remote->ReadEnvelope(id, sink).ok());
    EXPECT_EQ(sink.bytes(), ContentFor(id, sizes[i]));
  }
  VectorSink nothing;
  const Status missing = remote->ReadEnvelope(EnvelopeNumber(99), nothing);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), Error::kNotFound);
  EXPECT_TRUE(nothing.bytes().empty());
  auto described = remote->DescribeEnvelope(EnvelopeNumber(99));
  ASSERT_FALSE(described.ok());
  EXPECT_EQ(described.error(), Error::kNotFound);
  auto too_many = remote->ListEnvelopes(0, limits::kMaxStoreListEnvelopes + 1);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error(), Error::kLimitExceeded);
}

TEST_F(ControlServerTest, PurgeCompactionExportNumbersAndStatsGoToTheStore) {
  for (std::uint64_t n = 1; n <= 3; ++n) {
    ASSERT_TRUE(store_->PutEnvelope(EnvelopeNumber(n), ContentFor(EnvelopeNumber(n), 100), kToday).ok());
  }
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  auto first = remote->TakeExportNumber();
  auto second = remote->TakeExportNumber();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second.value(), first.value() + 1);

  const std::vector<EnvelopeId> purge = {EnvelopeNumber(1), EnvelopeNumber(2), EnvelopeNumber(42)};
  auto deleted = remote->DeleteEnvelopes(purge);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 2u);  // the unknown id is skipped
  ASSERT_TRUE(remote->CompactAll().ok());
  EXPECT_EQ(store_->DescribeEnvelope(EnvelopeNumber(1)).error(), Error::kNotFound);
  EXPECT_TRUE(store_->DescribeEnvelope(EnvelopeNumber(3)).ok());

  auto local = store_->Stats();
  auto over_socket = remote->Stats();
  ASSERT_TRUE(local.ok() && over_socket.ok());
  EXPECT_EQ(over_socket.value().envelopes, 1u);
  EXPECT_EQ(over_socket.value().envelopes, local.value().envelopes);
  EXPECT_EQ(over_socket.value().envelope_bytes, local.value().envelope_bytes);
  EXPECT_EQ(over_socket.value().next_seq, local.value().next_seq);
  EXPECT_EQ(over_socket.value().audit_length, local.value().audit_length);
}

TEST_F(ControlServerTest, ACheckpointIsWrittenInTheStoresFolder) {
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  const auto checkpoint = dir_.path() / "data" / storage::kCheckpointFolderName;
  EXPECT_FALSE(std::filesystem::exists(checkpoint));
  ASSERT_TRUE(remote->WriteCheckpoint().ok());
  EXPECT_TRUE(std::filesystem::exists(checkpoint / "CURRENT"));
}

TEST_F(ControlServerTest, AnInstalledBundleIsStoredAndTheServerIsTold) {
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  auto none = remote->CurrentKeyBundle();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());

  const std::vector<std::uint8_t> v2 = {1, 2, 3, 4};
  ASSERT_TRUE(remote->PutKeyBundle(2, v2).ok());
  EXPECT_EQ(bundles_installed_.load(), 1);
  auto current = store_->CurrentKeyBundle();
  ASSERT_TRUE(current.ok() && current.value().has_value());
  EXPECT_EQ(current.value()->version, 2u);
  EXPECT_EQ(current.value()->signed_bytes, v2);
  auto read_back = remote->CurrentKeyBundle();
  ASSERT_TRUE(read_back.ok() && read_back.value().has_value());
  EXPECT_EQ(read_back.value()->signed_bytes, v2);

  // A rollback is the store's refusal, carried as it is; the server is not told.
  const Status rollback = remote->PutKeyBundle(1, v2);
  ASSERT_FALSE(rollback.ok());
  EXPECT_EQ(rollback.error(), Error::kKeyBundleRollback);
  EXPECT_EQ(bundles_installed_.load(), 1);
}

TEST_F(ControlServerTest, AuditEventsAppendToTheChainThatVerifies) {
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  auto one = remote->AppendAudit(kToday, "export 1 written");
  auto two = remote->AppendAudit(kToday, "export 2 written");
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(two.value(), one.value() + 1);
  auto refused = remote->AppendAudit(kToday, "a line\nforged");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), Error::kInvalidArgument);
  auto verdict = remote->VerifyAuditChain();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict.value().intact());
  EXPECT_EQ(verdict.value().length, 2u);
}

TEST_F(ControlServerTest, RepliesArePlacedThroughTheSocketEvenAtTheirLargest) {
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  StoredReply big;
  big.mailbox[0] = 7;
  big.id = storage::test::NumberedId<storage::ReplyId>(0x3e, 1);
  big.sealed.assign(limits::kMaxSealedReplyBytes, 0xab);
  StoredReply small = big;
  small.id = storage::test::NumberedId<storage::ReplyId>(0x3e, 2);
  small.sealed.assign(10, 1);
  const std::vector<StoredReply> replies = {big, small};
  auto placed = remote->PlaceReplies(3, replies, kToday);
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(placed.value(), 2u);
  EXPECT_EQ(store_->ReadReply(big.mailbox, big.id).value(), big.sealed);
  EXPECT_EQ(remote->PlaceReplies(2, replies, kToday).error(), Error::kConflict);
  EXPECT_EQ(remote->ListReplies(big.mailbox).error(), Error::kUnavailable);  // the server's
}

TEST_F(ControlServerTest, IntakeIsRefusedOverTheSocketAndChangesNothing) {
  Start();
  auto remote = Connect();
  ASSERT_NE(remote, nullptr);
  const std::vector<std::uint8_t> bytes(100, 7);
  EXPECT_EQ(remote->PutEnvelope(EnvelopeNumber(1), bytes, kToday).error(), Error::kUnavailable);
  EXPECT_EQ(remote->CreateUpload(UploadNumber(1), 100, bytes, kToday).error(),
            Error::kUnavailable);
  EXPECT_EQ(remote->ExpireUploads(kToday, 0).error(), Error::kUnavailable);
  Status async = OkStatus();
  remote->PutEnvelopeAsync(EnvelopeNumber(2), bytes, kToday, [&](Status s) { async = s; });
  EXPECT_EQ(async.error(), Error::kUnavailable);
  EXPECT_EQ(store_->Stats().value().envelopes, 0u);
}

TEST_F(ControlServerTest, GarbageOrASilentClientIsDroppedAndTheNextOneServed) {
  Start(std::chrono::milliseconds(200));
  const int garbage = RawConnect();
  ASSERT_GE(garbage, 0);
  const std::uint8_t junk[] = {0, 0, 0, 3, 0xff, 0xff, 0xff};
  ASSERT_EQ(::send(garbage, junk, sizeof junk, MSG_NOSIGNAL), static_cast<ssize_t>(sizeof junk));
  std::uint8_t byte = 0;
  EXPECT_EQ(::recv(garbage, &byte, 1, 0), 0);  // closed, nothing answered
  ::close(garbage);

  const int silent = RawConnect();  // connects, then never speaks
  ASSERT_GE(silent, 0);
  auto remote = Connect();  // queued behind it until the timeout drops it
  ASSERT_NE(remote, nullptr);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(remote->Stats().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ::close(silent);
}

TEST_F(ControlServerTest, StoppingDoesNotWaitLongOnAnIdleClient) {
  Start(std::chrono::milliseconds(200));
  const int idle = RawConnect();
  ASSERT_GE(idle, 0);
  const auto start = std::chrono::steady_clock::now();
  server_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ::close(idle);
}

}  // namespace
}  // namespace amparo::gateway
