// rocksdb_store_limits_test.cc: every storage limit of common/limits.h holds
// at N and refuses N+1, and configuration may lower a limit but never raise
// it past the compiled ceiling. (kMaxStoreQueuedWrites is held by the group
// committer: see group_committer_test.cc.)

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "storage/rocksdb_store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage {
namespace {

using test::EnvelopeNumber;
using test::kToday;
using test::OpenOrDie;
using test::UploadNumber;

class StoreLimitsTest : public ::testing::Test {
 protected:
  std::filesystem::path path() const { return dir_.path() / "store"; }
  amparo::test::TempDir dir_;
};

TEST_F(StoreLimitsTest, PutEnvelopeBytes) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bytes(limits::kMaxStorePutEnvelopeBytes + 1, 0xab);
  const std::span<const std::uint8_t> all(bytes);
  EXPECT_TRUE(store->PutEnvelope(EnvelopeNumber(1), all.first(bytes.size() - 1), kToday).ok());
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(2), all, kToday).error(), Error::kLimitExceeded);
  EXPECT_EQ(store->EnvelopeSize(EnvelopeNumber(1)).value(), limits::kMaxStorePutEnvelopeBytes);
  EXPECT_EQ(store->Stats().value().envelopes, 1u);
}

TEST_F(StoreLimitsTest, StoredEnvelopeBytesBoundAnUploadsTotal) {
  auto store = OpenOrDie(path());
  EXPECT_TRUE(
      store->CreateUpload(UploadNumber(1), limits::kMaxStoredEnvelopeBytes, {}, kToday).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(2), limits::kMaxStoredEnvelopeBytes + 1, {}, kToday)
                .error(),
            Error::kLimitExceeded);
}

TEST_F(StoreLimitsTest, ConfiguredEnvelopeCeilingIsLowerStill) {
  RocksDbStoreOptions options;
  options.max_envelope_bytes = 1000;
  auto store = OpenOrDie(path(), options);
  const std::vector<std::uint8_t> bytes(1001, 1);
  EXPECT_TRUE(store->CreateUpload(UploadNumber(1), 1000, {}, kToday).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(2), 1001, {}, kToday).error(), Error::kLimitExceeded);
  EXPECT_TRUE(store->PutEnvelope(EnvelopeNumber(1), std::span(bytes).first(1000), kToday).ok());
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(2), bytes, kToday).error(), Error::kLimitExceeded);
}

TEST_F(StoreLimitsTest, AppendBytes) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bytes(limits::kMaxStoreAppendBytes + 1, 0x11);
  const std::span<const std::uint8_t> all(bytes);
  const auto upload = UploadNumber(1);
  ASSERT_TRUE(store->CreateUpload(upload, 3 * limits::kMaxStoreAppendBytes, {}, kToday).ok());
  EXPECT_EQ(store->AppendUpload(upload, 0, all).error(), Error::kLimitExceeded);
  EXPECT_EQ(store->UploadOffset(upload).value(), 0u);
  EXPECT_TRUE(store->AppendUpload(upload, 0, all.first(limits::kMaxStoreAppendBytes)).ok());
  EXPECT_EQ(store->UploadOffset(upload).value(), limits::kMaxStoreAppendBytes);
}

TEST_F(StoreLimitsTest, UploadHeadBytes) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> head(limits::kMaxStoreAppendBytes + 1, 0x22);
  const std::span<const std::uint8_t> all(head);
  const std::uint64_t total = 2 * limits::kMaxStoreAppendBytes;
  EXPECT_TRUE(store->CreateUpload(UploadNumber(1), total, all.first(head.size() - 1), kToday).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(2), total, all, kToday).error(),
            Error::kLimitExceeded);
  // A head longer than the declared total is refused too.
  EXPECT_EQ(store->CreateUpload(UploadNumber(3), 10, all.first(11), kToday).error(),
            Error::kLimitExceeded);
  EXPECT_TRUE(store->CreateUpload(UploadNumber(4), 10, all.first(10), kToday).ok());
}

TEST_F(StoreLimitsTest, OpenUploads) {
  constexpr std::size_t kThreads = 16;
  static_assert(limits::kMaxStoreOpenUploads % kThreads == 0);
  auto store = OpenOrDie(path());
  std::atomic<std::size_t> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < limits::kMaxStoreOpenUploads; i += kThreads) {
        if (!store->CreateUpload(UploadNumber(i + 1), 100, {}, kToday).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0u);
  EXPECT_EQ(store->Stats().value().open_uploads, limits::kMaxStoreOpenUploads);
  const auto one_more = UploadNumber(limits::kMaxStoreOpenUploads + 1);
  EXPECT_EQ(store->CreateUpload(one_more, 100, {}, kToday).error(), Error::kUnavailable);
  // A session that ends makes room again.
  EXPECT_EQ(store->ExpireUploads(kToday + 1, 0).value(), limits::kMaxStoreOpenUploads);
  EXPECT_TRUE(store->CreateUpload(one_more, 100, {}, kToday).ok());
}

TEST_F(StoreLimitsTest, ConfiguredOpenUploadsIsLowerStill) {
  RocksDbStoreOptions options;
  options.max_open_uploads = 2;
  auto store = OpenOrDie(path(), options);
  const std::vector<std::uint8_t> head(10, 1);
  EXPECT_TRUE(store->CreateUpload(UploadNumber(1), 10, head, kToday).ok());
  EXPECT_TRUE(store->CreateUpload(UploadNumber(2), 10, head, kToday).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(3), 10, head, kToday).error(), Error::kUnavailable);
  ASSERT_TRUE(store->FinalizeUpload(UploadNumber(1), EnvelopeNumber(1), kToday).ok());
  EXPECT_TRUE(store->CreateUpload(UploadNumber(3), 10, head, kToday).ok());
}

TEST_F(StoreLimitsTest, ListEnvelopesCount) {
  auto store = OpenOrDie(path());
  EXPECT_TRUE(store->ListEnvelopes(0, limits::kMaxStoreListEnvelopes).ok());
  EXPECT_EQ(store->ListEnvelopes(0, limits::kMaxStoreListEnvelopes + 1).error(),
            Error::kLimitExceeded);
}

TEST_F(StoreLimitsTest, DeleteEnvelopesCount) {
  auto store = OpenOrDie(path());
  std::vector<EnvelopeId> ids;
  for (std::size_t n = 1; n <= limits::kMaxStoreDeleteEnvelopes + 1; ++n) {
    ids.push_back(EnvelopeNumber(n));
  }
  const auto id = EnvelopeNumber(1);
  ASSERT_TRUE(store->PutEnvelope(id, test::ContentFor(id, 10), kToday).ok());
  const std::span<const EnvelopeId> all(ids);
  EXPECT_EQ(store->DeleteEnvelopes(all).error(), Error::kLimitExceeded);
  EXPECT_EQ(store->Stats().value().envelopes, 1u);
  auto deleted = store->DeleteEnvelopes(all.first(limits::kMaxStoreDeleteEnvelopes));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 1u);
}

TEST_F(StoreLimitsTest, KeyBundleBytes) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bundle(limits::kMaxStoreKeyBundleBytes + 1, 0x33);
  const std::span<const std::uint8_t> all(bundle);
  EXPECT_EQ(store->PutKeyBundle(1, all).error(), Error::kLimitExceeded);
  EXPECT_TRUE(store->PutKeyBundle(1, all.first(limits::kMaxStoreKeyBundleBytes)).ok());
  EXPECT_EQ(store->CurrentKeyBundle().value()->signed_bytes.size(),
            limits::kMaxStoreKeyBundleBytes);
}

TEST_F(StoreLimitsTest, AuditEventBytes) {
  auto store = OpenOrDie(path());
  const std::string text(limits::kMaxStoreAuditEventBytes + 1, 'a');
  EXPECT_EQ(store->AppendAudit(kToday, text).error(), Error::kLimitExceeded);
  EXPECT_TRUE(store->AppendAudit(kToday, std::string_view(text).substr(1)).ok());
  EXPECT_EQ(store->Stats().value().audit_length, 1u);
}

TEST_F(StoreLimitsTest, Days) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bytes(10, 1);
  EXPECT_TRUE(store->PutEnvelope(EnvelopeNumber(1), bytes, limits::kMaxStoreDay).ok());
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(2), bytes, limits::kMaxStoreDay + 1).error(),
            Error::kInvalidArgument);
  EXPECT_TRUE(store->PutEnvelope(EnvelopeNumber(3), bytes, 0).ok());
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(4), bytes, -1).error(), Error::kInvalidArgument);
  EXPECT_TRUE(store->AppendAudit(limits::kMaxStoreDay, "day N").ok());
  EXPECT_EQ(store->AppendAudit(limits::kMaxStoreDay + 1, "day N+1").error(),
            Error::kInvalidArgument);
  EXPECT_TRUE(store->CreateUpload(UploadNumber(1), 10, bytes, limits::kMaxStoreDay).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(2), 10, bytes, limits::kMaxStoreDay + 1).error(),
            Error::kInvalidArgument);
  EXPECT_TRUE(store->ExpireUploads(limits::kMaxStoreDay, 0).ok());
  EXPECT_EQ(store->ExpireUploads(limits::kMaxStoreDay + 1, 0).error(), Error::kInvalidArgument);
}

TEST_F(StoreLimitsTest, OptionsMayLowerButNeverRaiseTheCeilings) {
  const auto opens = [&](const RocksDbStoreOptions& options) {
    amparo::test::TempDir dir;
    return OpenRocksDbStore(dir.path() / "store", options).ok();
  };
  RocksDbStoreOptions options;
  EXPECT_TRUE(opens(options));
  options.max_envelope_bytes = limits::kMaxStoredEnvelopeBytes + 1;
  EXPECT_FALSE(opens(options));
  options = {};
  options.max_open_uploads = limits::kMaxStoreOpenUploads + 1;
  EXPECT_FALSE(opens(options));
  options = {};
  options.max_queued_writes = limits::kMaxStoreQueuedWrites + 1;
  EXPECT_FALSE(opens(options));
  options = {};
  options.max_open_uploads = 0;
  EXPECT_FALSE(opens(options));
  options = {};
  options.chunk_memtable_bytes = 1;
  EXPECT_FALSE(opens(options));
}

}  // namespace
}  // namespace amparo::storage
