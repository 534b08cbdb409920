#pragma once
// rocksdb_engine.h: the opened RocksDB database behind the store: its column
// families, and the options that make it durable and keep it from recording
// more than the store means to keep. RocksDB's own headers stay in the .cc
// files; this header only names its types.

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/result.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
}  // namespace rocksdb

namespace amparo::storage {

// Family names the column families, one kind of record in each.
enum class Family : std::size_t {
  kMeta,         // schema version, counters, totals, audit head, bundle version
  kEnvelopes,    // envelope id -> EnvelopeRecord
  kChunks,       // blob, offset -> envelope bytes (in blob files)
  kUploads,      // upload id -> UploadRecord
  kKeyBundles,   // u64be(version) -> signed key bundle
  kAudit,        // u64be(seq) -> AuditRecord
  kExportQueue,  // u64be(seq) -> envelope id
  kMailboxIndex, // mailbox key, reply id -> ReplyRecord
  kReplyBodies,  // mailbox key, reply id -> sealed reply bytes (in blob files)
};
inline constexpr std::size_t kFamilyCount = 9;

// FamilyName is the column family's name in the database.
std::string_view FamilyName(Family family);

// EngineOptions size the engine's memory; durability settings are fixed.
struct EngineOptions {
  // chunk_memtable_bytes is the write buffer of the chunks family; up to
  // kChunkMemtables of them are in memory at once.
  std::size_t chunk_memtable_bytes = 32 * 1024 * 1024;
  static constexpr int kChunkMemtables = 4;
  // kArenaBlockBytes is the size of the blocks memtables allocate; the
  // gateway keeps it below its mmap threshold (gateway/heap_policy.h), so that
  // the blocks are reused instead of mapped and unmapped for every memtable.
  static constexpr std::size_t kArenaBlockBytes = 64 * 1024;
};

class RocksDbEngine {
 public:
  // Open opens the database in directory `path`, creating it if missing (the
  // directory gets mode 0700, and an existing one is tightened to it). kIo if
  // it cannot be opened (in use by another process, damaged, unknown column
  // families); kUnavailable if it has another layout version.
  static Result<std::unique_ptr<RocksDbEngine>> Open(const std::filesystem::path& path,
                                                     const EngineOptions& options);
  // ~RocksDbEngine closes the database. Nothing acknowledged depends on the
  // close: it is in the synced log already.
  ~RocksDbEngine();
  RocksDbEngine(const RocksDbEngine&) = delete;
  RocksDbEngine& operator=(const RocksDbEngine&) = delete;

  // db returns the database, owned by the engine.
  rocksdb::DB& db() { return *db_; }
  // CompactAll flushes the memtables and compacts every family to its last
  // level, forcing blob garbage collection of all blob files, so that deleted
  // records survive in no live file (crypto-shredding of purged envelopes).
  Status CompactAll();
  // WriteCheckpoint writes a consistent copy of the database, as of the
  // call, into the folder `into`, which must not exist: the memtables are
  // flushed first, and the tables are linked where the file system (and the
  // sandbox) allow it, copied otherwise. kIo if the database refuses.
  Status WriteCheckpoint(const std::filesystem::path& into);
  // family returns the handle, owned by the engine.
  rocksdb::ColumnFamilyHandle* family(Family family) const {
    return families_[static_cast<std::size_t>(family)];
  }

 private:
  RocksDbEngine() = default;

  std::unique_ptr<rocksdb::Env> env_;  // outlives db_
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_family_ = nullptr;
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> families_{};
};

}  // namespace amparo::storage
