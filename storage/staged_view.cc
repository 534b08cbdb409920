#include "storage/staged_view.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <memory>

#include "storage/rocksdb_slice.h"
#include "storage/rocksdb_status.h"

namespace amparo::storage {
namespace {

// Lookup finds `key` in a staged map: nullptr if not staged there, else a
// pointer to its staged value (nullopt: deleted).
const std::optional<std::string>* Lookup(
    const std::map<std::pair<Family, std::string>, std::optional<std::string>>& entries,
    Family family, std::string_view key) {
  const auto it = entries.find({family, std::string(key)});
  return it == entries.end() ? nullptr : &it->second;
}

// Deferred tells the families whose records reach the batch only when it
// closes: the meta counters and totals.
bool Deferred(Family family) { return family == Family::kMeta; }

}  // namespace

Result<std::optional<std::string>> StagedView::Get(Family family, std::string_view key) const {
  if (const auto* mine = Lookup(local_, family, key)) return *mine;
  if (const auto* staged = Lookup(staged_.entries_, family, key)) return *staged;
  std::string value;
  const rocksdb::Status read =
      engine_.db().Get(rocksdb::ReadOptions(), engine_.family(family), ToSlice(key), &value);
  if (read.IsNotFound()) return std::optional<std::string>();
  if (!read.ok()) return ToError(read);
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<std::pair<std::string, std::string>>> StagedView::Entries(Family family) const {
  return EntriesWithPrefix(family, {});
}

Result<std::vector<std::pair<std::string, std::string>>> StagedView::EntriesWithPrefix(
    Family family, std::string_view prefix) const {
  std::map<std::string, std::string> merged;
  const std::unique_ptr<rocksdb::Iterator> it(
      engine_.db().NewIterator(rocksdb::ReadOptions(), engine_.family(family)));
  for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    merged.emplace(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) return ToError(it->status());
  using Layer = std::map<std::pair<Family, std::string>, std::optional<std::string>>;
  const std::array<const Layer*, 2> layers{&staged_.entries_, &local_};
  for (const Layer* layer : layers) {
    for (const auto& [where, value] : *layer) {
      if (where.first != family || !where.second.starts_with(prefix)) continue;
      if (value.has_value()) {
        merged[where.second] = *value;
      } else {
        merged.erase(where.second);
      }
    }
  }
  return std::vector<std::pair<std::string, std::string>>(merged.begin(), merged.end());
}

Status StagedView::Put(Family family, std::string_view key, std::string_view value) {
  if (!Deferred(family)) {
    const rocksdb::Status put = batch_.Put(engine_.family(family), ToSlice(key), ToSlice(value));
    if (!put.ok()) return Error::kIo;
  }
  local_[{family, std::string(key)}] = std::string(value);
  return OkStatus();
}

Status StagedView::Delete(Family family, std::string_view key) {
  if (!Deferred(family)) {
    const rocksdb::Status deleted = batch_.Delete(engine_.family(family), ToSlice(key));
    if (!deleted.ok()) return Error::kIo;
  }
  local_[{family, std::string(key)}] = std::nullopt;
  return OkStatus();
}

Status StagedView::PutBulk(Family family, std::string_view key,
                           std::span<const std::uint8_t> value) {
  const rocksdb::Slice bytes(reinterpret_cast<const char*>(value.data()), value.size());
  return batch_.Put(engine_.family(family), ToSlice(key), bytes).ok() ? OkStatus()
                                                                      : Status(Error::kIo);
}

Status StagedView::DeleteRange(Family family, std::string_view begin, std::string_view end) {
  return batch_.DeleteRange(engine_.family(family), ToSlice(begin), ToSlice(end)).ok()
             ? OkStatus()
             : Status(Error::kIo);
}

void StagedView::Publish() {
  for (auto& [where, value] : local_) {
    if (Deferred(where.first)) staged_.deferred_.insert(where);
    staged_.entries_[where] = std::move(value);
  }
  local_.clear();
}

Status StagedWrites::WriteDeferred(RocksDbEngine& engine, rocksdb::WriteBatch& batch) const {
  for (const Key& key : deferred_) {
    const auto& value = entries_.at(key);
    const rocksdb::Status written =
        value.has_value()
            ? batch.Put(engine.family(key.first), ToSlice(key.second), ToSlice(*value))
            : batch.Delete(engine.family(key.first), ToSlice(key.second));
    if (!written.ok()) return Error::kIo;
  }
  return OkStatus();
}

}  // namespace amparo::storage
