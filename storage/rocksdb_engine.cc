#include "storage/rocksdb_engine.h"

#include <sys/stat.h>

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/system_clock.h>

#include <cstdarg>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "storage/records.h"
#include "storage/rocksdb_status.h"

namespace amparo::storage {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::size_t kMiB = 1024 * 1024;
// Bloom filter sizes: 10 bits per key gives about 1% false positives; the
// memtable filter takes a tenth of the memtable.
constexpr double kBloomBitsPerKey = 10.0;
constexpr double kMemtableBloomRatio = 0.1;

// DayClock rounds the wall-clock time RocksDB writes into its files (table
// creation times, the manifest) down to the day: the store keeps no arrival
// time finer than a day, and neither may its engine. Interval timing
// (NowMicros) is left alone; RocksDB uses it for waits, never records it.
class DayClock final : public rocksdb::SystemClockWrapper {
 public:
  explicit DayClock(const std::shared_ptr<rocksdb::SystemClock>& target)
      : SystemClockWrapper(target) {}
  const char* Name() const override { return "AmparoDayClock"; }
  rocksdb::Status GetCurrentTime(int64_t* unix_time) override {
    rocksdb::Status status = SystemClockWrapper::GetCurrentTime(unix_time);
    if (status.ok()) *unix_time -= *unix_time % kSecondsPerDay;
    return status;
  }
};

// DayClockEnv is the default environment with the DayClock.
class DayClockEnv final : public rocksdb::EnvWrapper {
 public:
  explicit DayClockEnv(rocksdb::Env* base) : EnvWrapper(base) {
    system_clock_ = std::make_shared<DayClock>(base->GetSystemClock());
  }
  const char* Name() const override { return "AmparoDayClockEnv"; }
  rocksdb::Status GetCurrentTime(int64_t* unix_time) override {
    return system_clock_->GetCurrentTime(unix_time);
  }
};

// SilentLogger discards RocksDB's informational log: its LOG file stamps
// every flush and compaction with the exact time, which would date arrivals.
// Failures still reach the store as statuses.
class SilentLogger final : public rocksdb::Logger {
 public:
  SilentLogger() : Logger(rocksdb::InfoLogLevel::HEADER_LEVEL) {}
  void LogHeader(const char* /*format*/, va_list /*ap*/) override {}
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
  void Logv(const rocksdb::InfoLogLevel /*level*/, const char* /*format*/,
            va_list /*ap*/) override {}
};

rocksdb::DBOptions MakeDbOptions(rocksdb::Env* env) {
  rocksdb::DBOptions options;
  options.env = env;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  // Recover up to the last intact record of the log: every acknowledged
  // write was synced before the ack, so what a crash can cut is unacknowledged.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.track_and_verify_wals_in_manifest = true;  // a lost log file is an error
  // A batch spans families (a chunk and its upload record); flushing them
  // together keeps every family at the same point of the log.
  options.atomic_flush = true;
  options.manual_wal_flush = false;
  // The deployment's file system is not known; fsync is safe on all of them.
  options.use_fsync = true;
  options.recycle_log_file_num = 0;  // recycled logs would keep old ciphertext
  options.WAL_ttl_seconds = 0;       // obsolete logs are deleted at once
  options.WAL_size_limit_MB = 0;
  options.max_total_wal_size = 256 * kMiB;
  options.max_background_jobs = 2;
  // Flushes and compactions sync their tables every megabyte instead of at
  // the end: a large flush then never queues a submission's log sync behind
  // tens of megabytes of dirty pages.
  options.bytes_per_sync = kMiB;
  options.info_log = std::make_shared<SilentLogger>();
  options.stats_dump_period_sec = 0;
  options.stats_persist_period_sec = 0;
  options.db_host_id = "";  // tables would otherwise carry the host's name
  return options;
}

rocksdb::ColumnFamilyOptions MakeFamilyOptions(Family family, const EngineOptions& engine) {
  rocksdb::ColumnFamilyOptions options;
  options.force_consistency_checks = true;
  options.compression = rocksdb::kNoCompression;  // ciphertext and counters do not shrink
  options.write_buffer_size = 4 * kMiB;
  // Memtables take their memory in blocks below the gateway's mmap threshold
  // (heap_policy.h), so that a flushed memtable's blocks are reused by the
  // next one. Blocks past it are mapped for each memtable and unmapped after
  // its flush: every page faults in again, every unmap stops the other cores
  // to flush their TLBs, and both fell on the committer thread that every
  // submission waits for. A value over a quarter of a block gets a block of
  // its own: an upload chunk (1 MiB) is still mapped and returned once
  // flushed. The price: heap memory a flushed memtable freed stays with the
  // process, for the next memtable, up to the memtables' own bound.
  options.arena_block_size = EngineOptions::kArenaBlockBytes;
  if (family != Family::kChunks && family != Family::kReplyBodies) {
    // Every new envelope's id is looked up before it is written (ids never
    // repeat), and the answer is almost always "absent": Bloom filters in the
    // tables and the memtable answer that without reading blocks or walking
    // the skip list.
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
    table.whole_key_filtering = true;
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    options.memtable_whole_key_filtering = true;
    options.memtable_prefix_bloom_size_ratio = kMemtableBloomRatio;
  }
  if (family == Family::kReplyBodies) {
    // Sealed replies, up to 4 MiB each: out of the LSM tree too.
    options.enable_blob_files = true;
    options.min_blob_size = 4 * 1024;
    options.blob_file_size = 64 * kMiB;
    options.blob_compression_type = rocksdb::kNoCompression;
    options.enable_blob_garbage_collection = true;
  }
  if (family == Family::kChunks) {
    options.write_buffer_size = engine.chunk_memtable_bytes;
    options.max_write_buffer_number = EngineOptions::kChunkMemtables;
    // Large values go to blob files, out of the LSM tree, so that compaction
    // does not rewrite hundreds of MiB of ciphertext again and again.
    options.enable_blob_files = true;
    options.min_blob_size = 16 * 1024;
    options.blob_file_size = 256 * kMiB;
    options.blob_compression_type = rocksdb::kNoCompression;
    options.enable_blob_garbage_collection = true;
  }
  return options;
}

// OwnerOnly creates the directory if needed and restricts it to its owner:
// it holds ciphertext and arrival days, which other local users must not read.
Status OwnerOnly(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error || !std::filesystem::is_directory(path, error)) return Error::kIo;
  if (::chmod(path.c_str(), 0700) != 0) return Error::kIo;
  return OkStatus();
}

// CheckSchema records the layout version in a new store and refuses one
// written by another layout.
Status CheckSchema(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) {
  std::string value;
  const rocksdb::Status read = db.Get(rocksdb::ReadOptions(), meta, records::kSchemaKey, &value);
  if (read.IsNotFound()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    const rocksdb::Status written =
        db.Put(write_options, meta, records::kSchemaKey, records::U64(records::kSchemaVersion));
    return written.ok() ? OkStatus() : Status(ToError(written));
  }
  if (!read.ok()) return ToError(read);
  std::uint64_t version = 0;
  if (!records::DecodeU64(value, &version)) return Error::kIo;
  if (version != records::kSchemaVersion) return Error::kUnavailable;
  return OkStatus();
}

}  // namespace

std::string_view FamilyName(Family family) {
  switch (family) {
    case Family::kMeta: return "meta";
    case Family::kEnvelopes: return "envelopes";
    case Family::kChunks: return "chunks";
    case Family::kUploads: return "uploads";
    case Family::kKeyBundles: return "key_bundles";
    case Family::kAudit: return "audit";
    case Family::kExportQueue: return "export_queue";
    case Family::kMailboxIndex: return "mailbox_index";
    case Family::kReplyBodies: return "reply_bodies";
  }
  std::abort();  // unreachable: the enum is closed
}

Result<std::unique_ptr<RocksDbEngine>> RocksDbEngine::Open(const std::filesystem::path& path,
                                                         const EngineOptions& options) {
  AMPARO_RETURN_IF_ERROR(OwnerOnly(path));
  std::unique_ptr<RocksDbEngine> engine(new RocksDbEngine());
  engine->env_ = std::make_unique<DayClockEnv>(rocksdb::Env::Default());

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (std::size_t i = 0; i < kFamilyCount; ++i) {
    const auto family = static_cast<Family>(i);
    descriptors.emplace_back(std::string(FamilyName(family)), MakeFamilyOptions(family, options));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(MakeDbOptions(engine->env_.get()), path.string(),
                                                   descriptors, &handles, &db);
  if (!opened.ok()) return ToError(opened);
  engine->db_.reset(db);
  engine->default_family_ = handles[0];
  for (std::size_t i = 0; i < kFamilyCount; ++i) engine->families_[i] = handles[i + 1];

  AMPARO_RETURN_IF_ERROR(CheckSchema(*engine->db_, engine->family(Family::kMeta)));
  return engine;
}

Status RocksDbEngine::WriteCheckpoint(const std::filesystem::path& into) {
  rocksdb::Checkpoint* raw = nullptr;
  if (const rocksdb::Status made = rocksdb::Checkpoint::Create(db_.get(), &raw); !made.ok()) {
    return ToError(made);
  }
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: always flush, so that the copy holds tables and
  // no log to replay.
  const rocksdb::Status written = checkpoint->CreateCheckpoint(into.string(), 0);
  return written.ok() ? OkStatus() : ToError(written);
}

Status RocksDbEngine::CompactAll() {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> all(families_.begin(), families_.end());
  if (const rocksdb::Status flushed = db_->Flush(flush, all); !flushed.ok()) {
    return ToError(flushed);
  }
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  options.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  options.blob_garbage_collection_age_cutoff = 1.0;  // every blob file, not only old ones
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    const rocksdb::Status compacted = db_->CompactRange(options, handle, nullptr, nullptr);
    if (!compacted.ok()) return ToError(compacted);
  }
  return OkStatus();
}

RocksDbEngine::~RocksDbEngine() {
  if (db_ == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    if (handle != nullptr) (void)db_->DestroyColumnFamilyHandle(handle);
  }
  if (default_family_ != nullptr) (void)db_->DestroyColumnFamilyHandle(default_family_);
  (void)db_->Close();
  db_.reset();
}

}  // namespace amparo::storage
