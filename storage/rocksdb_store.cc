#include "storage/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/snapshot.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/byte_reader.h"
#include "storage/group_committer.h"
#include "storage/records.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"
#include "storage/staged_view.h"
#include "storage/write_requests.h"

namespace amparo::storage {
namespace {

constexpr std::size_t kMaxChunkMemtableBytes = 256 * 1024 * 1024;
constexpr std::size_t kMinChunkMemtableBytes = 1024 * 1024;

bool ValidDay(Day day) { return day >= 0 && day <= limits::kMaxStoreDay; }

// PrintableAscii admits the characters of a fixed operator phrase and nothing
// that could forge a line or smuggle binary data into the chain.
bool PrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::span<const std::uint8_t> AsSpan(const rocksdb::Slice& slice) {
  return {reinterpret_cast<const std::uint8_t*>(slice.data()), slice.size()};
}

// Snapshot reads the database as of one moment, so that a record and the
// chunks or entries it names are seen together; released on destruction.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) {
    options_.snapshot = snapshot_;
    options_.verify_checksums = true;
  }
  ~Snapshot() { db_.ReleaseSnapshot(snapshot_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  const rocksdb::ReadOptions& options() const { return options_; }

  // Get returns the value, nullopt if absent; kIo if the read fails.
  Result<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* family,
                                         std::string_view key) const {
    std::string value;
    const rocksdb::Status read = db_.Get(options_, family, ToSlice(key), &value);
    if (read.IsNotFound()) return std::optional<std::string>();
    if (!read.ok()) return ToError(read);
    return std::optional<std::string>(std::move(value));
  }

  // GetRecord returns a decoded record, nullopt if absent; kIo if damaged.
  template <typename Record>
  Result<std::optional<Record>> GetRecord(rocksdb::ColumnFamilyHandle* family,
                                          std::string_view key) const {
    auto value = Get(family, key);
    if (!value.ok()) return value.error();
    if (!value.value().has_value()) return std::optional<Record>();
    Record record;
    if (!records::Decode(*value.value(), &record)) return Error::kIo;
    return std::optional<Record>(record);
  }

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions options_;
};

// DirectoryBytes is the size of every file under `path`.
std::uint64_t DirectoryBytes(const std::filesystem::path& path) {
  std::uint64_t total = 0;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const std::uintmax_t size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

class RocksDbStore final : public EnvelopeStore {
 public:
  RocksDbStore(std::filesystem::path path, std::unique_ptr<RocksDbEngine> engine,
               const RocksDbStoreOptions& options)
      : path_(std::move(path)), options_(options), engine_(std::move(engine)) {
    GroupCommitter::Options committer;
    committer.max_queued = options.max_queued_writes;
    committer.batch_closing = [this](rocksdb::WriteBatch& batch) {
      return staged_.WriteDeferred(*engine_, batch);
    };
    committer.batch_ended = [this] { staged_.Clear(); };
    committer_ = std::make_unique<GroupCommitter>(engine_->db(), std::move(committer));
  }

  // The committer finishes the writes it accepted before the engine closes.
  ~RocksDbStore() override { committer_.reset(); }

  Status PutEnvelope(const EnvelopeId& id, std::span<const std::uint8_t> bytes,
                     Day day) override {
    AMPARO_RETURN_IF_ERROR(CheckPut(id, bytes.size(), day));
    return committer_->Commit(
        Staged([&](StagedView& view) { return StagePutEnvelope(view, id, bytes, day); }));
  }

  void PutEnvelopeAsync(const EnvelopeId& id, std::vector<std::uint8_t> bytes, Day day,
                        Completion done) override {
    const Status check = CheckPut(id, bytes.size(), day);
    if (!check.ok()) return done(check);
    committer_->CommitAsync(Staged([id, bytes = std::move(bytes), day](StagedView& view) {
                              return StagePutEnvelope(view, id, bytes, day);
                            }),
                            std::move(done));
  }

  Status CreateUpload(const UploadId& upload, std::uint64_t total_length,
                      std::span<const std::uint8_t> head, Day day) override {
    if (upload.IsZero() || !ValidDay(day) || total_length == 0) return Error::kInvalidArgument;
    if (total_length > options_.max_envelope_bytes || head.size() > total_length ||
        head.size() > limits::kMaxStoreAppendBytes) {
      return Error::kLimitExceeded;
    }
    const std::size_t max_open = options_.max_open_uploads;
    return committer_->Commit(Staged([&](StagedView& view) {
      return StageCreateUpload(view, upload, total_length, head, day, max_open);
    }));
  }

  Status AppendUpload(const UploadId& upload, std::uint64_t offset,
                      std::span<const std::uint8_t> bytes) override {
    AMPARO_RETURN_IF_ERROR(CheckAppend(upload, bytes.size()));
    return committer_->Commit(
        Staged([&](StagedView& view) { return StageAppendUpload(view, upload, offset, bytes); }),
        Lane::kBulk);
  }

  void AppendUploadAsync(const UploadId& upload, std::uint64_t offset,
                         std::vector<std::uint8_t> bytes, Completion done) override {
    const Status check = CheckAppend(upload, bytes.size());
    if (!check.ok()) return done(check);
    committer_->CommitAsync(Staged([upload, offset, bytes = std::move(bytes)](StagedView& view) {
                              return StageAppendUpload(view, upload, offset, bytes);
                            }),
                            std::move(done), Lane::kBulk);
  }

  Result<UploadInfo> DescribeUpload(const UploadId& upload) override {
    if (upload.IsZero()) return Error::kInvalidArgument;
    const Snapshot snapshot(engine_->db());
    auto record = snapshot.GetRecord<records::UploadRecord>(engine_->family(Family::kUploads),
                                                            records::IdKey(upload));
    if (!record.ok()) return record.error();
    if (!record.value().has_value()) return Error::kNotFound;
    return UploadInfo{record.value()->committed, record.value()->total,
                      record.value()->created_day};
  }

  Status FinalizeUpload(const UploadId& upload, const EnvelopeId& envelope, Day day) override {
    AMPARO_RETURN_IF_ERROR(CheckFinalize(upload, envelope, day));
    return committer_->Commit(Staged(
        [&](StagedView& view) { return StageFinalizeUpload(view, upload, envelope, day); }));
  }

  void FinalizeUploadAsync(const UploadId& upload, const EnvelopeId& envelope, Day day,
                           Completion done) override {
    const Status check = CheckFinalize(upload, envelope, day);
    if (!check.ok()) return done(check);
    committer_->CommitAsync(Staged([upload, envelope, day](StagedView& view) {
                              return StageFinalizeUpload(view, upload, envelope, day);
                            }),
                            std::move(done));
  }

  Result<std::size_t> ExpireUploads(Day today, std::int64_t max_age_days) override {
    if (!ValidDay(today) || max_age_days < 0) return Error::kInvalidArgument;
    std::size_t removed = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto count = StageExpireUploads(view, today, max_age_days);
      if (!count.ok()) return count.error();
      removed = count.value();
      return OkStatus();
    })));
    return removed;
  }

  Status ReadEnvelope(const EnvelopeId& id, ByteSink& sink) override {
    if (id.IsZero()) return Error::kInvalidArgument;
    const Snapshot snapshot(engine_->db());
    auto found = snapshot.GetRecord<records::EnvelopeRecord>(engine_->family(Family::kEnvelopes),
                                                             records::IdKey(id));
    if (!found.ok()) return found.error();
    if (!found.value().has_value()) return Error::kNotFound;
    const records::EnvelopeRecord record = *found.value();

    const std::string first = records::ChunkKey(record.blob, 0);
    const std::string limit = records::ChunkKey(record.blob + 1, 0);
    const rocksdb::Slice upper = ToSlice(limit);
    rocksdb::ReadOptions options = snapshot.options();
    options.iterate_upper_bound = &upper;
    options.fill_cache = false;  // ciphertext read once for export; keep the cache for records
    const std::unique_ptr<rocksdb::Iterator> it(
        engine_->db().NewIterator(options, engine_->family(Family::kChunks)));
    std::uint64_t offset = 0;
    for (it->Seek(ToSlice(first)); it->Valid(); it->Next()) {
      std::uint64_t blob = 0;
      std::uint64_t chunk_offset = 0;
      const rocksdb::Slice value = it->value();
      // Chunks must tile the envelope exactly: a gap, an overlap or a surplus
      // means damaged storage, never something to paper over.
      if (!records::DecodeChunkKey(it->key().ToStringView(), &blob, &chunk_offset) ||
          blob != record.blob || chunk_offset != offset || value.empty() ||
          value.size() > record.size - offset) {
        return Error::kIo;
      }
      AMPARO_RETURN_IF_ERROR(sink.Write(AsSpan(value)));
      offset += value.size();
    }
    if (!it->status().ok()) return ToError(it->status());
    if (offset != record.size) return Error::kIo;
    return OkStatus();
  }

  Result<EnvelopeInfo> DescribeEnvelope(const EnvelopeId& id) override {
    if (id.IsZero()) return Error::kInvalidArgument;
    const Snapshot snapshot(engine_->db());
    auto record = snapshot.GetRecord<records::EnvelopeRecord>(engine_->family(Family::kEnvelopes),
                                                              records::IdKey(id));
    if (!record.ok()) return record.error();
    if (!record.value().has_value()) return Error::kNotFound;
    return EnvelopeInfo{record.value()->seq, record.value()->day, record.value()->size};
  }

  Result<std::vector<QueuedEnvelope>> ListEnvelopes(std::uint64_t after_seq,
                                                    std::size_t max_count) override {
    if (max_count > limits::kMaxStoreListEnvelopes) return Error::kLimitExceeded;
    std::vector<QueuedEnvelope> out;
    if (max_count == 0 || after_seq == UINT64_MAX) return out;
    const Snapshot snapshot(engine_->db());
    const std::unique_ptr<rocksdb::Iterator> it(
        engine_->db().NewIterator(snapshot.options(), engine_->family(Family::kExportQueue)));
    for (it->Seek(records::U64(after_seq + 1)); it->Valid() && out.size() < max_count; it->Next()) {
      QueuedEnvelope entry;
      auto id = EnvelopeId::FromBytes(AsSpan(it->value()));
      if (!records::DecodeU64(it->key().ToStringView(), &entry.seq) || !id.ok()) {
        return Error::kIo;
      }
      entry.id = id.value();
      out.push_back(entry);
    }
    if (!it->status().ok()) return ToError(it->status());
    return out;
  }

  Status CompactAll() override { return engine_->CompactAll(); }

  Status WriteCheckpoint() override {
    const std::filesystem::path into = path_ / kCheckpointFolderName;
    AMPARO_RETURN_IF_ERROR(RemoveCheckpoint(path_));
    return engine_->WriteCheckpoint(into);
  }

  Result<std::size_t> PlaceReplies(std::uint64_t batch_number, std::span<const StoredReply> replies,
                                   Day day) override {
    if (batch_number == 0 || !ValidDay(day)) return Error::kInvalidArgument;
    if (replies.size() > limits::kMaxRepliesPerFile) return Error::kLimitExceeded;
    for (const StoredReply& reply : replies) {
      if (reply.id.IsZero() || reply.sealed.empty()) return Error::kInvalidArgument;
      if (reply.sealed.size() > limits::kMaxSealedReplyBytes) return Error::kLimitExceeded;
    }
    std::size_t placed = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto count = StagePlaceReplies(view, batch_number, replies, day);
      if (!count.ok()) return count.error();
      placed = count.value();
      return OkStatus();
    })));
    return placed;
  }

  Result<std::vector<ReplyInfo>> ListReplies(const MailboxKey& mailbox) override {
    const Snapshot snapshot(engine_->db());
    const std::string prefix(mailbox.begin(), mailbox.end());
    const std::unique_ptr<rocksdb::Iterator> it(
        engine_->db().NewIterator(snapshot.options(), engine_->family(Family::kMailboxIndex)));
    std::vector<std::pair<std::uint64_t, ReplyInfo>> found;
    for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
      records::ReplyRecord record;
      const auto key = AsSpan(it->key());
      auto id = ReplyId::FromBytes(key.subspan(prefix.size()));
      if (!records::Decode(it->value().ToStringView(), &record) || !id.ok() ||
          found.size() == limits::kMailboxSlots) {
        return Error::kIo;  // a mailbox never holds more: the store is damaged
      }
      found.push_back({record.order, ReplyInfo{id.value(), record.day, record.size}});
    }
    if (!it->status().ok()) return ToError(it->status());
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<ReplyInfo> out;
    for (const auto& entry : found) out.push_back(entry.second);
    return out;
  }

  Result<std::vector<std::uint8_t>> ReadReply(const MailboxKey& mailbox, const ReplyId& id) override {
    const Snapshot snapshot(engine_->db());
    const std::string key = records::MailboxReplyKey(mailbox, id.bytes());
    auto record = snapshot.GetRecord<records::ReplyRecord>(engine_->family(Family::kMailboxIndex), key);
    if (!record.ok()) return record.error();
    if (!record.value().has_value()) return Error::kNotFound;
    auto bytes = snapshot.Get(engine_->family(Family::kReplyBodies), key);
    if (!bytes.ok()) return bytes.error();
    if (!bytes.value().has_value() || bytes.value()->size() != record.value()->size) return Error::kIo;
    const auto span = AsBytes(*bytes.value());
    return std::vector<std::uint8_t>(span.begin(), span.end());
  }

  Result<std::size_t> ExpireReplies(Day today, std::int64_t max_age_days) override {
    if (!ValidDay(today) || max_age_days < 0) return Error::kInvalidArgument;
    std::size_t removed = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto count = StageExpireReplies(view, today, max_age_days);
      if (!count.ok()) return count.error();
      removed = count.value();
      return OkStatus();
    })));
    return removed;
  }

  Result<std::uint64_t> TakeExportNumber() override {
    std::uint64_t number = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto taken = StageTakeExportNumber(view);
      if (!taken.ok()) return taken.error();
      number = taken.value();
      return OkStatus();
    })));
    return number;
  }

  Result<std::uint64_t> ContinueExportsAfter(Day day, std::uint64_t last_exported) override {
    if (!ValidDay(day)) return Error::kInvalidArgument;
    if (last_exported > limits::kMaxExportNumber) return Error::kLimitExceeded;
    std::uint64_t next = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto raised = StageContinueExportsAfter(view, last_exported);
      if (!raised.ok()) return raised.error();
      next = raised.value();
      const std::string event = "exports continue after " + std::to_string(last_exported) +
                                ": next export " + std::to_string(next);
      auto appended = StageAppendAudit(view, day, event);
      return appended.ok() ? OkStatus() : Status(appended.error());
    })));
    return next;
  }

  Result<std::size_t> DeleteEnvelopes(std::span<const EnvelopeId> ids) override {
    if (ids.size() > limits::kMaxStoreDeleteEnvelopes) return Error::kLimitExceeded;
    for (const EnvelopeId& id : ids) {
      if (id.IsZero()) return Error::kInvalidArgument;
    }
    if (ids.empty()) return std::size_t{0};
    std::size_t deleted = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto count = StageDeleteEnvelopes(view, ids);
      if (!count.ok()) return count.error();
      deleted = count.value();
      return OkStatus();
    })));
    return deleted;
  }

  Status PutKeyBundle(std::uint64_t version, std::span<const std::uint8_t> signed_bytes) override {
    if (version == 0 || signed_bytes.empty()) return Error::kInvalidArgument;
    if (signed_bytes.size() > limits::kMaxStoreKeyBundleBytes) return Error::kLimitExceeded;
    return committer_->Commit(Staged(
        [&](StagedView& view) { return StagePutKeyBundle(view, version, signed_bytes); }));
  }

  Result<std::optional<KeyBundleRecord>> CurrentKeyBundle() override {
    const Snapshot snapshot(engine_->db());
    auto version = ReadCounter(snapshot, records::kBundleVersionKey);
    if (!version.ok()) return version.error();
    if (version.value() == 0) return std::optional<KeyBundleRecord>();
    auto bytes =
        snapshot.Get(engine_->family(Family::kKeyBundles), records::U64(version.value()));
    if (!bytes.ok()) return bytes.error();
    if (!bytes.value().has_value()) return Error::kIo;
    const std::string& stored = *bytes.value();
    return std::optional<KeyBundleRecord>(KeyBundleRecord{
        version.value(), std::vector<std::uint8_t>(stored.begin(), stored.end())});
  }

  Result<std::uint64_t> AppendAudit(Day day, std::string_view event_text) override {
    if (!ValidDay(day) || event_text.empty() || !PrintableAscii(event_text)) {
      return Error::kInvalidArgument;
    }
    if (event_text.size() > limits::kMaxStoreAuditEventBytes) return Error::kLimitExceeded;
    std::uint64_t seq = 0;
    AMPARO_RETURN_IF_ERROR(committer_->Commit(Staged([&](StagedView& view) -> Status {
      auto appended = StageAppendAudit(view, day, event_text);
      if (!appended.ok()) return appended.error();
      seq = appended.value();
      return OkStatus();
    })));
    return seq;
  }

  Result<AuditVerdict> VerifyAuditChain() override {
    const Snapshot snapshot(engine_->db());
    auto head = snapshot.GetRecord<records::AuditHead>(engine_->family(Family::kMeta),
                                                       records::kAuditHeadKey);
    if (!head.ok()) return head.error();
    const records::AuditHead expected_head = head.value().value_or(records::AuditHead{});
    AuditVerdict verdict;
    verdict.length = expected_head.length;

    const std::unique_ptr<rocksdb::Iterator> it(
        engine_->db().NewIterator(snapshot.options(), engine_->family(Family::kAudit)));
    std::uint64_t next = 1;
    AuditDigest prev{};
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++next) {
      std::uint64_t key_seq = 0;
      records::AuditRecord record;
      if (!records::DecodeU64(it->key().ToStringView(), &key_seq) || key_seq != next ||
          !records::Decode(it->value().ToStringView(), &record) || record.seq != next ||
          record.prev_hash != prev) {
        verdict.first_broken = next;
        return verdict;
      }
      auto hash = AuditHash(record.prev_hash, record.seq, record.day, record.text);
      if (!hash.ok()) return hash.error();
      if (hash.value() != record.hash) {
        verdict.first_broken = next;
        return verdict;
      }
      prev = record.hash;
    }
    if (!it->status().ok()) return ToError(it->status());
    const std::uint64_t found = next - 1;
    // The head in the meta family catches a chain cut short or extended at
    // its end, which no link inside the chain could show.
    if (found < expected_head.length) {
      verdict.first_broken = found + 1;
    } else if (found > expected_head.length) {
      verdict.first_broken = expected_head.length + 1;
    } else if (prev != expected_head.hash) {
      verdict.first_broken = found;
    }
    return verdict;
  }

  Result<StoreStats> Stats() override {
    StoreStats stats;
    {
      const Snapshot snapshot(engine_->db());
      auto totals = snapshot.GetRecord<records::Totals>(engine_->family(Family::kMeta),
                                                        records::kTotalsKey);
      if (!totals.ok()) return totals.error();
      const records::Totals counted = totals.value().value_or(records::Totals{});
      stats.envelopes = counted.envelopes;
      stats.envelope_bytes = counted.envelope_bytes;
      stats.open_uploads = counted.open_uploads;
      stats.upload_bytes = counted.upload_bytes;
      auto version = ReadCounter(snapshot, records::kBundleVersionKey);
      if (!version.ok()) return version.error();
      stats.key_bundle_version = version.value();
      auto next_seq = ReadCounter(snapshot, records::kNextSeqKey);
      if (!next_seq.ok()) return next_seq.error();
      stats.next_seq = std::max<std::uint64_t>(next_seq.value(), 1);  // absent: nothing assigned
      auto head = snapshot.GetRecord<records::AuditHead>(engine_->family(Family::kMeta),
                                                         records::kAuditHeadKey);
      if (!head.ok()) return head.error();
      stats.audit_length = head.value().value_or(records::AuditHead{}).length;
    }
    stats.disk_bytes = DirectoryBytes(path_);
    const GroupCommitter::Counters counters = committer_->counters();
    stats.commit_writes = counters.writes;
    stats.commit_syncs = counters.syncs;
    return stats;
  }

 private:
  // Staged wraps a staging function as a committer build: it sees the batch
  // so far, and its writes become visible to later requests only if it
  // succeeds.
  GroupCommitter::Build Staged(std::function<Status(StagedView&)> stage) {
    return [this, stage = std::move(stage)](rocksdb::WriteBatch& batch) {
      StagedView view(*engine_, batch, staged_);
      Status status = stage(view);
      if (status.ok()) view.Publish();
      return status;
    };
  }

  Status CheckPut(const EnvelopeId& id, std::size_t size, Day day) const {
    if (id.IsZero() || !ValidDay(day) || size == 0) return Error::kInvalidArgument;
    if (size > limits::kMaxStorePutEnvelopeBytes || size > options_.max_envelope_bytes) {
      return Error::kLimitExceeded;
    }
    return OkStatus();
  }

  static Status CheckAppend(const UploadId& upload, std::size_t size) {
    if (upload.IsZero()) return Error::kInvalidArgument;
    if (size > limits::kMaxStoreAppendBytes) return Error::kLimitExceeded;
    return OkStatus();
  }

  static Status CheckFinalize(const UploadId& upload, const EnvelopeId& envelope, Day day) {
    if (upload.IsZero() || envelope.IsZero() || !ValidDay(day)) return Error::kInvalidArgument;
    return OkStatus();
  }

  // ReadCounter returns a meta counter, 0 if never written; kIo if damaged.
  Result<std::uint64_t> ReadCounter(const Snapshot& snapshot, std::string_view key) const {
    auto value = snapshot.Get(engine_->family(Family::kMeta), key);
    if (!value.ok()) return value.error();
    if (!value.value().has_value()) return std::uint64_t{0};
    std::uint64_t counter = 0;
    if (!records::DecodeU64(*value.value(), &counter)) return Error::kIo;
    return counter;
  }

  const std::filesystem::path path_;
  const RocksDbStoreOptions options_;
  std::unique_ptr<RocksDbEngine> engine_;
  StagedWrites staged_;  // touched on the committer thread only
  std::unique_ptr<GroupCommitter> committer_;
};

}  // namespace

Status RemoveCheckpoint(const std::filesystem::path& store_path) {
  std::error_code error;
  std::filesystem::remove_all(store_path / kCheckpointFolderName, error);
  return error ? Status(Error::kIo) : OkStatus();
}

Result<std::unique_ptr<EnvelopeStore>> OpenRocksDbStore(const std::filesystem::path& path,
                                                        const RocksDbStoreOptions& options) {
  const auto within = [](std::size_t value, std::size_t ceiling) {
    return value >= 1 && value <= ceiling;
  };
  if (!within(options.max_envelope_bytes, limits::kMaxStoredEnvelopeBytes) ||
      !within(options.max_open_uploads, limits::kMaxStoreOpenUploads) ||
      !within(options.max_queued_writes, limits::kMaxStoreQueuedWrites) ||
      options.chunk_memtable_bytes < kMinChunkMemtableBytes ||
      options.chunk_memtable_bytes > kMaxChunkMemtableBytes) {
    return Error::kInvalidArgument;
  }
  EngineOptions engine_options;
  engine_options.chunk_memtable_bytes = options.chunk_memtable_bytes;
  auto engine = RocksDbEngine::Open(path, engine_options);
  if (!engine.ok()) return engine.error();
  // A backup interrupted before amparo-admin removed its checkpoint would
  // otherwise keep purged envelopes' bytes alive.
  AMPARO_RETURN_IF_ERROR(RemoveCheckpoint(path));
  return std::unique_ptr<EnvelopeStore>(
      std::make_unique<RocksDbStore>(path, std::move(engine).value(), options));
}

}  // namespace amparo::storage
