// rocksdb_store_test.cc: the RocksDB store on a real database in a fresh
// directory per test: envelopes round-trip and survive a reopen; uploads
// refuse out-of-order and oversized appends and early finalization, with
// nothing changed; expiry removes only old sessions; the export queue lists
// in commit order and purges; key bundles never roll back.

#include "storage/rocksdb_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/io.h"
#include "common/limits.h"
#include "storage/records.h"
#include "tests/support/byte_streams.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage {
namespace {

using test::ContentFor;
using test::EnvelopeNumber;
using test::kToday;
using test::OpenOrDie;
using test::UploadNumber;

std::vector<std::uint8_t> ReadAll(EnvelopeStore& store, const EnvelopeId& id) {
  VectorSink sink;
  const Status read = store.ReadEnvelope(id, sink);
  if (!read.ok()) return {};
  return sink.bytes();
}

std::vector<EnvelopeId> Listed(EnvelopeStore& store) {
  auto listed = store.ListEnvelopes(0, limits::kMaxStoreListEnvelopes);
  std::vector<EnvelopeId> ids;
  if (!listed.ok()) return ids;
  for (const auto& entry : listed.value()) ids.push_back(entry.id);
  return ids;
}

class RocksDbStoreTest : public ::testing::Test {
 protected:
  amparo::test::TempDir dir_;
  std::filesystem::path path() const { return dir_.path() / "store"; }
};

TEST_F(RocksDbStoreTest, PutThenReadReturnsTheExactBytes) {
  auto store = OpenOrDie(path());
  const auto id = EnvelopeNumber(1);
  const auto bytes = ContentFor(id, 4995);
  ASSERT_TRUE(store->PutEnvelope(id, bytes, kToday).ok());
  EXPECT_EQ(ReadAll(*store, id), bytes);
  auto info = store->DescribeEnvelope(id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().size, 4995u);
  EXPECT_EQ(info.value().day, kToday);
  EXPECT_EQ(info.value().seq, 1u);
  auto size = store->EnvelopeSize(id);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size.value(), 4995u);
}

TEST_F(RocksDbStoreTest, EnvelopeLargerThanAChunkStreamsBackInChunks) {
  auto store = OpenOrDie(path());
  const auto id = EnvelopeNumber(2);
  const std::size_t size = 3 * records::kChunkBytes + 5;
  const auto bytes = ContentFor(id, size);
  ASSERT_TRUE(store->PutEnvelope(id, bytes, kToday).ok());

  // The sink sees no write larger than a chunk: bytes are never gathered.
  class CountingSink final : public ByteSink {
   public:
    Status Write(std::span<const std::uint8_t> data) override {
      largest = std::max(largest, data.size());
      bytes.insert(bytes.end(), data.begin(), data.end());
      return OkStatus();
    }
    std::size_t largest = 0;
    std::vector<std::uint8_t> bytes;
  } sink;
  ASSERT_TRUE(store->ReadEnvelope(id, sink).ok());
  EXPECT_EQ(sink.bytes, bytes);
  EXPECT_EQ(sink.largest, records::kChunkBytes);
}

TEST_F(RocksDbStoreTest, ReadStopsWithTheSinksError) {
  auto store = OpenOrDie(path());
  const auto id = EnvelopeNumber(3);
  ASSERT_TRUE(store->PutEnvelope(id, ContentFor(id, 2 * records::kChunkBytes), kToday).ok());
  amparo::test::FailingSink sink(records::kChunkBytes);
  const Status read = store->ReadEnvelope(id, sink);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kIo);
}

TEST_F(RocksDbStoreTest, MissingEnvelopeIsNotFound) {
  auto store = OpenOrDie(path());
  VectorSink sink;
  const Status read = store->ReadEnvelope(EnvelopeNumber(9), sink);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), Error::kNotFound);
  EXPECT_TRUE(sink.bytes().empty());
  auto info = store->DescribeEnvelope(EnvelopeNumber(9));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error(), Error::kNotFound);
}

TEST_F(RocksDbStoreTest, SameIdTwiceIsConflictAndKeepsTheFirst) {
  auto store = OpenOrDie(path());
  const auto id = EnvelopeNumber(4);
  const auto first = ContentFor(id, 100);
  ASSERT_TRUE(store->PutEnvelope(id, first, kToday).ok());
  const std::vector<std::uint8_t> second(200, 7);
  const Status again = store->PutEnvelope(id, second, kToday);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), Error::kConflict);
  EXPECT_EQ(ReadAll(*store, id), first);
  EXPECT_EQ(Listed(*store).size(), 1u);
}

TEST_F(RocksDbStoreTest, RefusesUnsetIdsEmptyEnvelopesAndBadDays) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bytes(10, 1);
  EXPECT_EQ(store->PutEnvelope(EnvelopeId(), bytes, kToday).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(1), {}, kToday).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->PutEnvelope(EnvelopeNumber(1), bytes, -1).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->CreateUpload(UploadId(), 10, {}, kToday).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->CreateUpload(UploadNumber(1), 0, {}, kToday).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->FinalizeUpload(UploadNumber(1), EnvelopeId(), kToday).error(),
            Error::kInvalidArgument);
  EXPECT_EQ(store->ExpireUploads(kToday, -1).error(), Error::kInvalidArgument);
  EXPECT_TRUE(Listed(*store).empty());
}

TEST_F(RocksDbStoreTest, ReopenKeepsEverything) {
  const auto upload = UploadNumber(1);
  const auto upload_bytes = ContentFor(EnvelopeNumber(100), 5000);
  const std::vector<std::uint8_t> bundle = {1, 2, 3, 4};
  StoreStats before;
  {
    auto store = OpenOrDie(path());
    for (std::uint64_t n = 1; n <= 5; ++n) {
      const auto id = EnvelopeNumber(n);
      ASSERT_TRUE(store->PutEnvelope(id, ContentFor(id, test::ContentSizeFor(n)), kToday).ok());
    }
    ASSERT_TRUE(
        store->CreateUpload(upload, 5000, std::span(upload_bytes).first(1000), kToday).ok());
    ASSERT_TRUE(store->AppendUpload(upload, 1000, std::span(upload_bytes).subspan(1000, 500)).ok());
    ASSERT_TRUE(store->PutKeyBundle(7, bundle).ok());
    ASSERT_TRUE(store->AppendAudit(kToday, "store opened").ok());
    auto stats = store->Stats();
    ASSERT_TRUE(stats.ok());
    before = stats.value();
  }
  auto store = OpenOrDie(path());
  for (std::uint64_t n = 1; n <= 5; ++n) {
    const auto id = EnvelopeNumber(n);
    EXPECT_EQ(ReadAll(*store, id), ContentFor(id, test::ContentSizeFor(n))) << n;
  }
  auto offset = store->UploadOffset(upload);
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(offset.value(), 1500u);
  auto current = store->CurrentKeyBundle();
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current.value().has_value());
  EXPECT_EQ(current.value()->version, 7u);
  EXPECT_EQ(current.value()->signed_bytes, bundle);
  auto verdict = store->VerifyAuditChain();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict.value().intact());
  EXPECT_EQ(verdict.value().length, 1u);

  auto after = store->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value().envelopes, 5u);
  EXPECT_EQ(after.value().envelopes, before.envelopes);
  EXPECT_EQ(after.value().envelope_bytes, before.envelope_bytes);
  EXPECT_EQ(after.value().open_uploads, 1u);
  EXPECT_EQ(after.value().upload_bytes, 1500u);
  EXPECT_EQ(after.value().key_bundle_version, 7u);
  EXPECT_EQ(after.value().audit_length, 1u);

  // Sequence numbers keep growing across a reopen.
  const auto next = EnvelopeNumber(6);
  ASSERT_TRUE(store->PutEnvelope(next, ContentFor(next, 10), kToday).ok());
  EXPECT_EQ(store->DescribeEnvelope(next).value().seq, 6u);
}

TEST_F(RocksDbStoreTest, OutOfOrderAppendIsConflictAndChangesNothing) {
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  const auto bytes = ContentFor(EnvelopeNumber(1), 3000);
  ASSERT_TRUE(store->CreateUpload(upload, 3000, std::span(bytes).first(1000), kToday).ok());
  const auto before = store->Stats().value();

  for (std::uint64_t wrong : {0u, 999u, 1001u, 2000u}) {
    const Status append = store->AppendUpload(upload, wrong, std::span(bytes).subspan(1000, 1000));
    ASSERT_FALSE(append.ok()) << wrong;
    EXPECT_EQ(append.error(), Error::kConflict) << wrong;
  }
  EXPECT_EQ(store->UploadOffset(upload).value(), 1000u);
  EXPECT_EQ(store->Stats().value().upload_bytes, before.upload_bytes);

  // The right offsets still work, and the envelope holds exactly the bytes.
  ASSERT_TRUE(store->AppendUpload(upload, 1000, std::span(bytes).subspan(1000, 1000)).ok());
  ASSERT_TRUE(store->AppendUpload(upload, 2000, std::span(bytes).subspan(2000)).ok());
  ASSERT_TRUE(store->FinalizeUpload(upload, EnvelopeNumber(1), kToday).ok());
  EXPECT_EQ(ReadAll(*store, EnvelopeNumber(1)), bytes);
}

TEST_F(RocksDbStoreTest, AppendPastTheTotalIsLimitExceededAndChangesNothing) {
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  const auto bytes = ContentFor(EnvelopeNumber(1), 2001);
  ASSERT_TRUE(store->CreateUpload(upload, 2000, std::span(bytes).first(1000), kToday).ok());
  const Status append = store->AppendUpload(upload, 1000, std::span(bytes).subspan(1000, 1001));
  ASSERT_FALSE(append.ok());
  EXPECT_EQ(append.error(), Error::kLimitExceeded);
  EXPECT_EQ(store->UploadOffset(upload).value(), 1000u);
  // Exactly up to the total is fine.
  ASSERT_TRUE(store->AppendUpload(upload, 1000, std::span(bytes).subspan(1000, 1000)).ok());
  const Status beyond = store->AppendUpload(upload, 2000, std::span(bytes).subspan(2000, 1));
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error(), Error::kLimitExceeded);
  EXPECT_EQ(store->UploadOffset(upload).value(), 2000u);
}

TEST_F(RocksDbStoreTest, AppendToUnknownUploadIsNotFound) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> bytes(10, 1);
  EXPECT_EQ(store->AppendUpload(UploadNumber(5), 0, bytes).error(), Error::kNotFound);
  EXPECT_EQ(store->UploadOffset(UploadNumber(5)).error(), Error::kNotFound);
  EXPECT_EQ(store->FinalizeUpload(UploadNumber(5), EnvelopeNumber(5), kToday).error(),
            Error::kNotFound);
}

TEST_F(RocksDbStoreTest, CreatingAnUploadTwiceIsConflict) {
  auto store = OpenOrDie(path());
  ASSERT_TRUE(store->CreateUpload(UploadNumber(1), 100, {}, kToday).ok());
  EXPECT_EQ(store->CreateUpload(UploadNumber(1), 200, {}, kToday).error(), Error::kConflict);
  EXPECT_EQ(store->DescribeUpload(UploadNumber(1)).value().total, 100u);
}

TEST_F(RocksDbStoreTest, FinalizeBeforeCompleteIsConflict) {
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  const auto bytes = ContentFor(EnvelopeNumber(1), 2000);
  ASSERT_TRUE(store->CreateUpload(upload, 2000, std::span(bytes).first(1999), kToday).ok());
  const Status early = store->FinalizeUpload(upload, EnvelopeNumber(1), kToday);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error(), Error::kConflict);
  EXPECT_EQ(store->UploadOffset(upload).value(), 1999u);
  EXPECT_EQ(store->DescribeEnvelope(EnvelopeNumber(1)).error(), Error::kNotFound);
  EXPECT_TRUE(Listed(*store).empty());
}

TEST_F(RocksDbStoreTest, FinalizeMakesTheEnvelopeReadableAndListedAndEndsTheSession) {
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  const auto envelope = EnvelopeNumber(1);
  const std::size_t size = 2 * records::kChunkBytes + 77;
  const auto bytes = ContentFor(envelope, size);
  ASSERT_TRUE(store->CreateUpload(upload, size, std::span(bytes).first(924), kToday).ok());
  for (std::size_t offset = 924; offset < size;) {
    const std::size_t n = std::min<std::size_t>(300000, size - offset);
    ASSERT_TRUE(store->AppendUpload(upload, offset, std::span(bytes).subspan(offset, n)).ok());
    offset += n;
  }
  ASSERT_TRUE(store->FinalizeUpload(upload, envelope, kToday + 1).ok());

  EXPECT_EQ(ReadAll(*store, envelope), bytes);
  EXPECT_EQ(Listed(*store), std::vector<EnvelopeId>{envelope});
  EXPECT_EQ(store->DescribeEnvelope(envelope).value().day, kToday + 1);
  EXPECT_EQ(store->DescribeUpload(upload).error(), Error::kNotFound);
  const auto stats = store->Stats().value();
  EXPECT_EQ(stats.open_uploads, 0u);
  EXPECT_EQ(stats.upload_bytes, 0u);
  EXPECT_EQ(stats.envelopes, 1u);
  EXPECT_EQ(stats.envelope_bytes, size);
  // A second finalize finds no session.
  EXPECT_EQ(store->FinalizeUpload(upload, envelope, kToday).error(), Error::kNotFound);
}

TEST_F(RocksDbStoreTest, FinalizeOntoAnExistingEnvelopeIdIsConflict) {
  auto store = OpenOrDie(path());
  const auto envelope = EnvelopeNumber(1);
  ASSERT_TRUE(store->PutEnvelope(envelope, ContentFor(envelope, 10), kToday).ok());
  const std::vector<std::uint8_t> bytes(20, 3);
  ASSERT_TRUE(store->CreateUpload(UploadNumber(1), 20, bytes, kToday).ok());
  EXPECT_EQ(store->FinalizeUpload(UploadNumber(1), envelope, kToday).error(), Error::kConflict);
  EXPECT_EQ(ReadAll(*store, envelope), ContentFor(envelope, 10));
  EXPECT_EQ(store->UploadOffset(UploadNumber(1)).value(), 20u);
}

TEST_F(RocksDbStoreTest, ExpireRemovesOnlyOldSessions) {
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> head(100, 9);
  ASSERT_TRUE(store->CreateUpload(UploadNumber(1), 1000, head, kToday - 10).ok());
  ASSERT_TRUE(store->CreateUpload(UploadNumber(2), 1000, head, kToday - 3).ok());
  ASSERT_TRUE(store->CreateUpload(UploadNumber(3), 1000, head, kToday - 2).ok());
  ASSERT_TRUE(store->CreateUpload(UploadNumber(4), 1000, head, kToday).ok());

  auto removed = store->ExpireUploads(kToday, 2);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed.value(), 2u);
  EXPECT_EQ(store->DescribeUpload(UploadNumber(1)).error(), Error::kNotFound);
  EXPECT_EQ(store->DescribeUpload(UploadNumber(2)).error(), Error::kNotFound);
  EXPECT_TRUE(store->DescribeUpload(UploadNumber(3)).ok());
  EXPECT_TRUE(store->DescribeUpload(UploadNumber(4)).ok());
  const auto stats = store->Stats().value();
  EXPECT_EQ(stats.open_uploads, 2u);
  EXPECT_EQ(stats.upload_bytes, 200u);

  EXPECT_EQ(store->ExpireUploads(kToday, 2).value(), 0u);
  EXPECT_EQ(store->ExpireUploads(kToday, 0).value(), 1u);
  // An expired upload cannot be resumed.
  EXPECT_EQ(store->AppendUpload(UploadNumber(1), 100, head).error(), Error::kNotFound);
}

TEST_F(RocksDbStoreTest, ExportQueueListsInCommitOrderAndPages) {
  auto store = OpenOrDie(path());
  for (std::uint64_t n = 1; n <= 10; ++n) {
    const auto id = EnvelopeNumber(100 - n);  // ids in decreasing order
    ASSERT_TRUE(store->PutEnvelope(id, ContentFor(id, 50), kToday).ok());
  }
  auto first = store->ListEnvelopes(0, 4);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.value().size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(first.value()[i].seq, i + 1);
    EXPECT_EQ(first.value()[i].id, EnvelopeNumber(99 - i));
  }
  auto rest = store->ListEnvelopes(first.value().back().seq, 100);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest.value().size(), 6u);
  EXPECT_EQ(rest.value().front().seq, 5u);
  EXPECT_TRUE(store->ListEnvelopes(10, 100).value().empty());
  EXPECT_TRUE(store->ListEnvelopes(UINT64_MAX, 100).value().empty());
  EXPECT_TRUE(store->ListEnvelopes(0, 0).value().empty());
}

TEST_F(RocksDbStoreTest, DeletePurgesEnvelopesAndRepeatsHarmlessly) {
  auto store = OpenOrDie(path());
  for (std::uint64_t n = 1; n <= 4; ++n) {
    const auto id = EnvelopeNumber(n);
    ASSERT_TRUE(store->PutEnvelope(id, ContentFor(id, 3 * records::kChunkBytes / 2), kToday).ok());
  }
  const std::vector<EnvelopeId> gone = {EnvelopeNumber(1), EnvelopeNumber(3), EnvelopeNumber(3),
                                        EnvelopeNumber(77)};
  auto deleted = store->DeleteEnvelopes(gone);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 2u);
  EXPECT_EQ(Listed(*store), (std::vector<EnvelopeId>{EnvelopeNumber(2), EnvelopeNumber(4)}));
  VectorSink sink;
  EXPECT_EQ(store->ReadEnvelope(EnvelopeNumber(1), sink).error(), Error::kNotFound);
  EXPECT_EQ(ReadAll(*store, EnvelopeNumber(2)),
            ContentFor(EnvelopeNumber(2), 3 * records::kChunkBytes / 2));
  const auto stats = store->Stats().value();
  EXPECT_EQ(stats.envelopes, 2u);
  EXPECT_EQ(stats.envelope_bytes, 3 * records::kChunkBytes);
  EXPECT_EQ(store->DeleteEnvelopes(gone).value(), 0u);
  EXPECT_EQ(store->DeleteEnvelopes({}).value(), 0u);
}

TEST_F(RocksDbStoreTest, KeyBundleNeverRollsBack) {
  auto store = OpenOrDie(path());
  EXPECT_FALSE(store->CurrentKeyBundle().value().has_value());
  const std::vector<std::uint8_t> v2 = {2, 2, 2};
  const std::vector<std::uint8_t> v2_other = {2, 2, 9};
  const std::vector<std::uint8_t> v1 = {1};
  const std::vector<std::uint8_t> v3 = {3, 3};
  ASSERT_TRUE(store->PutKeyBundle(2, v2).ok());
  EXPECT_EQ(store->PutKeyBundle(1, v1).error(), Error::kKeyBundleRollback);
  EXPECT_EQ(store->PutKeyBundle(2, v2_other).error(), Error::kKeyBundleRollback);
  EXPECT_TRUE(store->PutKeyBundle(2, v2).ok());  // the same bundle again changes nothing
  EXPECT_EQ(store->CurrentKeyBundle().value()->signed_bytes, v2);
  ASSERT_TRUE(store->PutKeyBundle(3, v3).ok());
  EXPECT_EQ(store->CurrentKeyBundle().value()->version, 3u);
  EXPECT_EQ(store->CurrentKeyBundle().value()->signed_bytes, v3);
  EXPECT_EQ(store->PutKeyBundle(2, v2).error(), Error::kKeyBundleRollback);
  EXPECT_EQ(store->PutKeyBundle(0, v1).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->PutKeyBundle(4, {}).error(), Error::kInvalidArgument);
  EXPECT_EQ(store->Stats().value().key_bundle_version, 3u);
}

TEST_F(RocksDbStoreTest, StatsCountTotalsOnly) {
  auto store = OpenOrDie(path());
  const auto empty = store->Stats().value();
  EXPECT_EQ(empty.envelopes, 0u);
  EXPECT_EQ(empty.open_uploads, 0u);
  EXPECT_EQ(empty.key_bundle_version, 0u);
  EXPECT_EQ(empty.audit_length, 0u);
  EXPECT_GT(empty.disk_bytes, 0u);
  for (std::uint64_t n = 1; n <= 3; ++n) {
    const auto id = EnvelopeNumber(n);
    ASSERT_TRUE(store->PutEnvelope(id, ContentFor(id, 1000 * n), kToday).ok());
  }
  const auto stats = store->Stats().value();
  EXPECT_EQ(stats.envelopes, 3u);
  EXPECT_EQ(stats.envelope_bytes, 6000u);
  EXPECT_EQ(stats.commit_writes, 3u);
  EXPECT_EQ(stats.commit_syncs, 3u);
}

TEST_F(RocksDbStoreTest, SecondOpenOfTheSameDirectoryIsRefused) {
  auto store = OpenOrDie(path());
  auto second = OpenRocksDbStore(path(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), Error::kIo);
}

}  // namespace
}  // namespace amparo::storage

namespace amparo::storage {
namespace {

// FilesContain reports whether any file under dir holds `marker`.
bool FilesContain(const std::filesystem::path& dir, const std::string& marker) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string content{std::istreambuf_iterator<char>(in), {}};
    if (content.find(marker) != std::string::npos) return true;
  }
  return false;
}

TEST(RocksDbStoreShreddingTest, AfterDeleteAndCompactAllNoFileHoldsTheEnvelope) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  // A marker unlike anything else, in a small envelope and in one large
  // enough for a blob file.
  const std::string marker = "amparo-shredding-marker-5b8f0c2e";
  for (std::size_t size : {std::size_t{4096}, std::size_t{256 * 1024}}) {
    SCOPED_TRACE(size);
    auto store = test::OpenOrDie(path);
    std::vector<std::uint8_t> bytes(size, 0x20);
    for (std::size_t at = 0; at + marker.size() <= size; at += 4096) {
      std::copy(marker.begin(), marker.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
    }
    const EnvelopeId id = test::EnvelopeNumber(size);
    ASSERT_TRUE(store->PutEnvelope(id, bytes, test::kToday).ok());
    ASSERT_TRUE(store->CompactAll().ok());
    EXPECT_TRUE(FilesContain(path, marker));  // the control: the scan can see it
    const EnvelopeId ids[] = {id};
    ASSERT_EQ(store->DeleteEnvelopes(ids).value(), 1u);
    ASSERT_TRUE(store->CompactAll().ok());
    store.reset();
    EXPECT_FALSE(FilesContain(path, marker));
  }
}

// A checkpoint opens as a store of its own, with every envelope written
// before it (still in the memtable when it was taken) and none written after.
TEST(RocksDbStoreCheckpointTest, HoldsWhatWasWrittenBeforeItAndNothingAfter) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  const auto copy = dir.path() / "copy";
  const EnvelopeId before = test::EnvelopeNumber(1);
  const EnvelopeId after = test::EnvelopeNumber(2);
  {
    auto store = test::OpenOrDie(path);
    ASSERT_TRUE(store->PutEnvelope(before, ContentFor(before, 4995), kToday).ok());
    ASSERT_TRUE(store->WriteCheckpoint().ok());
    ASSERT_TRUE(store->WriteCheckpoint().ok());  // replaces the one left there
    std::filesystem::rename(path / kCheckpointFolderName, copy);
    ASSERT_TRUE(store->PutEnvelope(after, ContentFor(after, 4995), kToday).ok());
    EXPECT_EQ(Listed(*store).size(), 2u);
  }
  auto restored = test::OpenOrDie(copy);
  EXPECT_EQ(ReadAll(*restored, before), ContentFor(before, 4995));
  EXPECT_TRUE(ReadAll(*restored, after).empty());
  EXPECT_EQ(Listed(*restored), std::vector<EnvelopeId>{before});
  EXPECT_TRUE(restored->VerifyAuditChain().value().intact());
}

// A checkpoint left in the store's folder (a backup interrupted before it
// was moved away) is removed when the store opens: it would keep purged
// envelopes' bytes alive.
TEST(RocksDbStoreCheckpointTest, ALeftoverCheckpointIsRemovedOnOpen) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  {
    auto store = test::OpenOrDie(path);
    ASSERT_TRUE(store->WriteCheckpoint().ok());
    EXPECT_TRUE(std::filesystem::exists(path / kCheckpointFolderName / "CURRENT"));
  }
  auto store = test::OpenOrDie(path);
  EXPECT_FALSE(std::filesystem::exists(path / kCheckpointFolderName));
}

TEST(RocksDbStoreExportNumberTest, CountsFromOneAndSurvivesReopening) {
  amparo::test::TempDir dir;
  {
    auto store = test::OpenOrDie(dir.path() / "store");
    EXPECT_EQ(store->TakeExportNumber().value(), 1u);
    EXPECT_EQ(store->TakeExportNumber().value(), 2u);
  }
  auto store = test::OpenOrDie(dir.path() / "store");
  EXPECT_EQ(store->TakeExportNumber().value(), 3u);
}

TEST(RocksDbStoreExportNumberTest, ContinuesAfterAGivenNumberAndRecordsIt) {
  amparo::test::TempDir dir;
  {
    auto store = test::OpenOrDie(dir.path() / "store");
    EXPECT_EQ(store->TakeExportNumber().value(), 1u);
    const std::uint64_t audited = store->Stats().value().audit_length;
    auto next = store->ContinueExportsAfter(kToday, 7);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next.value(), 8u);
    EXPECT_EQ(store->Stats().value().audit_length, audited + 1);
    EXPECT_TRUE(store->VerifyAuditChain().value().intact());
  }
  auto store = test::OpenOrDie(dir.path() / "store");  // durable
  EXPECT_EQ(store->TakeExportNumber().value(), 8u);
}

TEST(RocksDbStoreExportNumberTest, NeverGoesBack) {
  amparo::test::TempDir dir;
  auto store = test::OpenOrDie(dir.path() / "store");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->TakeExportNumber().ok());
  EXPECT_EQ(store->ContinueExportsAfter(kToday, 2).value(), 6u);  // lower: unchanged
  EXPECT_EQ(store->ContinueExportsAfter(kToday, 5).value(), 6u);  // equal: unchanged
  EXPECT_EQ(store->TakeExportNumber().value(), 6u);
}

TEST(RocksDbStoreExportNumberTest, ContinuesUpToTheCeilingAndNotPast) {
  amparo::test::TempDir dir;
  auto store = test::OpenOrDie(dir.path() / "store");
  const std::uint64_t before = store->Stats().value().audit_length;
  auto past = store->ContinueExportsAfter(kToday, limits::kMaxExportNumber + 1);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error(), Error::kLimitExceeded);
  EXPECT_EQ(store->Stats().value().audit_length, before);  // refused: nothing written
  EXPECT_EQ(store->ContinueExportsAfter(kToday, limits::kMaxExportNumber).value(),
            limits::kMaxExportNumber + 1);
  EXPECT_EQ(store->TakeExportNumber().value(), limits::kMaxExportNumber + 1);
  EXPECT_EQ(store->ContinueExportsAfter(limits::kMaxStoreDay + 1, 1).error(), Error::kInvalidArgument);
}

TEST(RocksDbStoreStatsTest, NextSeqCountsAssignedSequenceNumbers) {
  amparo::test::TempDir dir;
  auto store = test::OpenOrDie(dir.path() / "store");
  EXPECT_EQ(store->Stats().value().next_seq, 1u);
  const std::vector<std::uint8_t> bytes(100, 1);
  ASSERT_TRUE(store->PutEnvelope(test::EnvelopeNumber(1), bytes, test::kToday).ok());
  ASSERT_TRUE(store->PutEnvelope(test::EnvelopeNumber(2), bytes, test::kToday).ok());
  EXPECT_EQ(store->Stats().value().next_seq, 3u);
  const EnvelopeId first[] = {test::EnvelopeNumber(1)};
  ASSERT_TRUE(store->DeleteEnvelopes(first).ok());
  EXPECT_EQ(store->Stats().value().next_seq, 3u);  // deleting assigns nothing
}

}  // namespace
}  // namespace amparo::storage
