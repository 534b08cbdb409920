#pragma once
// staged_view.h: reads that see the batch being built. The group committer
// builds many requests into one batch before anything is written; a request
// built later in the batch (a second append to the same upload, the next
// sequence number) must see what earlier ones staged. Used on the committer
// thread only.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "storage/rocksdb_engine.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace amparo::storage {

// StagedWrites holds the records staged by the requests of the current batch;
// its owner clears it when the batch ends, written or not.
class StagedWrites {
 public:
  void Clear() {
    entries_.clear();
    deferred_.clear();
  }

  // WriteDeferred appends the final value of every deferred record (see
  // StagedView::Put) to `batch`; the committer calls it once per batch, after
  // the last request is built. kIo if the batch refuses a record.
  Status WriteDeferred(RocksDbEngine& engine, rocksdb::WriteBatch& batch) const;

 private:
  friend class StagedView;
  using Key = std::pair<Family, std::string>;
  // Value nullopt: deleted in this batch.
  std::map<Key, std::optional<std::string>> entries_;
  std::set<Key> deferred_;  // keys of entries_ not yet in the batch
};

// StagedView is one request's window on the database: Get sees the database
// as the batch would leave it so far, plus this request's own writes. Writes
// go to the batch at once; they become visible to later requests only through
// Publish, which a build calls once it has succeeded (the committer rolls a
// failed request's batch entries back).
class StagedView {
 public:
  // All three are borrowed and must outlive the view.
  StagedView(RocksDbEngine& engine, rocksdb::WriteBatch& batch, StagedWrites& staged)
      : engine_(engine), batch_(batch), staged_(staged) {}

  // Get returns the value of `key`, or nullopt if absent; kIo if the read
  // fails.
  Result<std::optional<std::string>> Get(Family family, std::string_view key) const;

  // Entries returns every key and value of `family`, in key order; for the
  // small families only (upload sessions). kIo if the read fails.
  Result<std::vector<std::pair<std::string, std::string>>> Entries(Family family) const;

  // EntriesWithPrefix is Entries for the keys that start with `prefix` only
  // (one mailbox's replies); it reads that key range and nothing else.
  Result<std::vector<std::pair<std::string, std::string>>> EntriesWithPrefix(
      Family family, std::string_view prefix) const;

  // Put and Delete write a record that later Gets will see; kIo if the batch
  // refuses it. Records of the meta family (counters and totals, rewritten by
  // nearly every request) are deferred: they reach the batch once, with their
  // last value, when the batch closes (StagedWrites::WriteDeferred). The batch
  // is written atomically, so no reader can tell the difference.
  Status Put(Family family, std::string_view key, std::string_view value);
  Status Delete(Family family, std::string_view key);

  // PutBulk and DeleteRange write envelope bytes: to the batch only, since
  // nothing reads chunks through a view. kIo if the batch refuses them.
  Status PutBulk(Family family, std::string_view key, std::span<const std::uint8_t> value);
  Status DeleteRange(Family family, std::string_view begin, std::string_view end);

  // Publish makes this request's Puts and Deletes visible to later requests
  // of the batch.
  void Publish();

 private:
  RocksDbEngine& engine_;
  rocksdb::WriteBatch& batch_;
  StagedWrites& staged_;
  std::map<StagedWrites::Key, std::optional<std::string>> local_;
};

}  // namespace amparo::storage
