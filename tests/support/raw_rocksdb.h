#pragma once
// raw_rocksdb.h: opens a store's RocksDB database directly, with all of its
// column families, so that a test can inspect or damage records behind the
// store's back. The store must be closed first: the database has one owner.

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amparo::test {

// RawRocksDb aborts if the database cannot be opened, since the test that
// uses it cannot proceed.
class RawRocksDb {
 public:
  explicit RawRocksDb(const std::filesystem::path& path) {
    std::vector<std::string> names;
    Check(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &names));
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DBOptions options;
    rocksdb::DB* db = nullptr;
    Check(rocksdb::DB::Open(options, path.string(), descriptors, &handles_, &db));
    db_ = db;
    names_ = names;
  }
  ~RawRocksDb() {
    for (auto* handle : handles_) (void)db_->DestroyColumnFamilyHandle(handle);
    (void)db_->Close();
    delete db_;
  }
  RawRocksDb(const RawRocksDb&) = delete;
  RawRocksDb& operator=(const RawRocksDb&) = delete;

  rocksdb::DB& db() { return *db_; }

  // family returns the handle named `name`; aborts if there is none.
  rocksdb::ColumnFamilyHandle* family(std::string_view name) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return handles_[i];
    }
    std::fprintf(stderr, "RawRocksDb: no column family %.*s\n", static_cast<int>(name.size()),
                 name.data());
    std::abort();
  }

  std::optional<std::string> Get(std::string_view family_name, std::string_view key) {
    std::string value;
    const rocksdb::Status status =
        db_->Get(rocksdb::ReadOptions(), family(family_name), key, &value);
    if (status.IsNotFound()) return std::nullopt;
    Check(status);
    return value;
  }

  void Put(std::string_view family_name, std::string_view key, std::string_view value) {
    rocksdb::WriteOptions options;
    options.sync = true;
    Check(db_->Put(options, family(family_name), key, value));
  }

  void Delete(std::string_view family_name, std::string_view key) {
    rocksdb::WriteOptions options;
    options.sync = true;
    Check(db_->Delete(options, family(family_name), key));
  }

  // Keys returns every key of a column family, in order.
  std::vector<std::string> Keys(std::string_view family_name) {
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), family(family_name)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    Check(it->status());
    return keys;
  }

 private:
  static void Check(const rocksdb::Status& status) {
    if (status.ok()) return;
    std::fprintf(stderr, "RawRocksDb: %s\n", status.ToString().c_str());
    std::abort();
  }

  rocksdb::DB* db_ = nullptr;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace amparo::test
