// rocksdb_engine_test.cc: the engine keeps its directory to its owner, writes
// no informational log, and the tables it writes carry neither a time finer
// than a day nor the host's name; a store of another layout is refused.

#include "storage/rocksdb_engine.h"

#include <sys/stat.h>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table_properties.h>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/records.h"
#include "tests/support/raw_rocksdb.h"
#include "tests/support/temp_dir.h"

namespace amparo::storage {
namespace {

unsigned PermissionBits(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 07777 + 1;
  return info.st_mode & 07777;
}

TEST(RocksDbEngineTest, CreatesItsDirectoryForTheOwnerOnly) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "a" / "store";
  auto engine = RocksDbEngine::Open(path, EngineOptions{});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(PermissionBits(path), 0700u);
}

TEST(RocksDbEngineTest, TightensAnExistingDirectory) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  ASSERT_TRUE(std::filesystem::create_directory(path));
  ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  auto engine = RocksDbEngine::Open(path, EngineOptions{});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(PermissionBits(path), 0700u);
}

TEST(RocksDbEngineTest, WritesNoInformationalLog) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  {
    auto engine = RocksDbEngine::Open(path, EngineOptions{});
    ASSERT_TRUE(engine.ok());
    auto& db = engine.value()->db();
    ASSERT_TRUE(
        db.Put(rocksdb::WriteOptions(), engine.value()->family(Family::kAudit), "k", "v").ok());
    ASSERT_TRUE(db.Flush(rocksdb::FlushOptions(), engine.value()->family(Family::kAudit)).ok());
  }
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    const std::string name = entry.path().filename().string();
    EXPECT_NE(name.rfind("LOG", 0), 0u) << name;
  }
}

TEST(RocksDbEngineTest, TablesCarryDaysOnlyAndNoHostName) {
  amparo::test::TempDir dir;
  auto engine = RocksDbEngine::Open(dir.path() / "store", EngineOptions{});
  ASSERT_TRUE(engine.ok());
  auto& db = engine.value()->db();
  const std::string big(64 * 1024, 'x');  // large enough for a blob file
  for (Family family : {Family::kChunks, Family::kEnvelopes, Family::kMeta}) {
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), engine.value()->family(family), "key", big).ok());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  for (std::size_t i = 0; i < kFamilyCount; ++i) {
    handles.push_back(engine.value()->family(static_cast<Family>(i)));
  }
  ASSERT_TRUE(db.Flush(rocksdb::FlushOptions(), handles).ok());

  std::size_t tables = 0;
  for (auto* handle : handles) {
    rocksdb::TablePropertiesCollection properties;
    ASSERT_TRUE(db.GetPropertiesOfAllTables(handle, &properties).ok());
    for (const auto& [file, table] : properties) {
      ++tables;
      EXPECT_EQ(table->creation_time % 86400, 0u) << file;
      EXPECT_EQ(table->oldest_key_time % 86400, 0u) << file;
      EXPECT_EQ(table->file_creation_time % 86400, 0u) << file;
      EXPECT_GT(table->file_creation_time, 0u) << file;
      EXPECT_TRUE(table->db_host_id.empty()) << file;
    }
  }
  EXPECT_GE(tables, 3u);
}

TEST(RocksDbEngineTest, RefusesAStoreOfAnotherLayout) {
  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  { ASSERT_TRUE(RocksDbEngine::Open(path, EngineOptions{}).ok()); }
  {
    amparo::test::RawRocksDb raw(path);
    raw.Put(FamilyName(Family::kMeta), records::kSchemaKey,
            records::U64(records::kSchemaVersion + 1));
  }
  auto reopened = RocksDbEngine::Open(path, EngineOptions{});
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error(), Error::kUnavailable);
}

TEST(RocksDbEngineTest, FamilyNamesAreDistinct) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kFamilyCount; ++i) names.insert(FamilyName(static_cast<Family>(i)));
  EXPECT_EQ(names.size(), kFamilyCount);
  EXPECT_EQ(names.count("default"), 0u);
}

}  // namespace
}  // namespace amparo::storage
