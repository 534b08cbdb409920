#pragma once
// rocksdb_store.h: opens the RocksDB implementation of EnvelopeStore. This
// header exposes only the project's types; RocksDB stays inside storage/.

#include <cstddef>
#include <filesystem>
#include <memory>

#include "common/limits.h"
#include "common/result.h"
#include "storage/envelope_store.h"

namespace amparo::storage {

// RocksDbStoreOptions may lower the compiled limits, never raise them.
struct RocksDbStoreOptions {
  std::size_t max_envelope_bytes = limits::kMaxStoredEnvelopeBytes;
  std::size_t max_open_uploads = limits::kMaxStoreOpenUploads;
  std::size_t max_queued_writes = limits::kMaxStoreQueuedWrites;
  // chunk_memtable_bytes sizes the in-memory write buffers of envelope bytes
  // (up to 4 of them): 1 to 256 MiB.
  std::size_t chunk_memtable_bytes = 32 * 1024 * 1024;
};

// OpenRocksDbStore opens or creates the store in directory `path` and returns
// it, owned by the caller; destroying it finishes the writes already accepted
// and closes the database. kInvalidArgument if an option is zero or above its
// ceiling; kUnavailable if it has another layout version; kIo if it cannot
// be opened (held by another process or another open store, damaged).
Result<std::unique_ptr<EnvelopeStore>> OpenRocksDbStore(const std::filesystem::path& path,
                                                        const RocksDbStoreOptions& options);

// RemoveCheckpoint removes the folder EnvelopeStore::WriteCheckpoint writes
// in the store at `store_path`, if there is one. kIo if it cannot.
Status RemoveCheckpoint(const std::filesystem::path& store_path);

}  // namespace amparo::storage
