// staged_view_test.cc: a request sees its own writes at once and earlier
// requests' writes once published; meta records reach the batch once, when
// it closes; an unpublished request leaves no trace in
// the staged state; clearing the staged state falls back to the database.

#include "storage/staged_view.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/support/temp_dir.h"

namespace amparo::storage {
namespace {

class StagedViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = RocksDbEngine::Open(dir_.path() / "db", EngineOptions{});
    ASSERT_TRUE(engine.ok());
    engine_ = std::move(engine).value();
    rocksdb::WriteOptions options;
    options.sync = true;
    ASSERT_TRUE(
        engine_->db().Put(options, engine_->family(Family::kUploads), "stored", "db").ok());
  }

  std::optional<std::string> Get(StagedView& view, std::string_view key) {
    auto value = view.Get(Family::kUploads, key);
    EXPECT_TRUE(value.ok());
    return value.ok() ? value.value() : std::nullopt;
  }

  amparo::test::TempDir dir_;
  std::unique_ptr<RocksDbEngine> engine_;
  rocksdb::WriteBatch batch_;
  StagedWrites staged_;
};

TEST_F(StagedViewTest, OwnWritesAreVisibleAtOnce) {
  StagedView view(*engine_, batch_, staged_);
  EXPECT_EQ(Get(view, "stored"), "db");
  ASSERT_TRUE(view.Put(Family::kUploads, "new", "mine").ok());
  ASSERT_TRUE(view.Delete(Family::kUploads, "stored").ok());
  EXPECT_EQ(Get(view, "new"), "mine");
  EXPECT_EQ(Get(view, "stored"), std::nullopt);
  // The same key in another family is another record.
  auto other = view.Get(Family::kEnvelopes, "new");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other.value().has_value());
}

TEST_F(StagedViewTest, LaterRequestsSeeOnlyPublishedWrites) {
  {
    StagedView refused(*engine_, batch_, staged_);
    ASSERT_TRUE(refused.Put(Family::kUploads, "refused", "x").ok());
  }
  {
    StagedView accepted(*engine_, batch_, staged_);
    ASSERT_TRUE(accepted.Put(Family::kUploads, "accepted", "y").ok());
    ASSERT_TRUE(accepted.Delete(Family::kUploads, "stored").ok());
    accepted.Publish();
  }
  StagedView later(*engine_, batch_, staged_);
  EXPECT_EQ(Get(later, "refused"), std::nullopt);
  EXPECT_EQ(Get(later, "accepted"), "y");
  EXPECT_EQ(Get(later, "stored"), std::nullopt);

  auto entries = later.Entries(Family::kUploads);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries.value().size(), 1u);
  EXPECT_EQ(entries.value()[0].first, "accepted");

  staged_.Clear();
  StagedView fresh(*engine_, batch_, staged_);
  EXPECT_EQ(Get(fresh, "accepted"), std::nullopt);
  EXPECT_EQ(Get(fresh, "stored"), "db");
}

TEST_F(StagedViewTest, WritesLandInTheBatch) {
  StagedView view(*engine_, batch_, staged_);
  const std::uint8_t chunk[3] = {1, 2, 3};
  ASSERT_TRUE(view.Put(Family::kUploads, "k", "v").ok());
  ASSERT_TRUE(view.PutBulk(Family::kChunks, "c", chunk).ok());
  ASSERT_TRUE(view.DeleteRange(Family::kChunks, "a", "b").ok());
  EXPECT_EQ(batch_.Count(), 3u);
}

TEST_F(StagedViewTest, MetaRecordsReachTheBatchOnceWithTheirLastValue) {
  for (const char* value : {"1", "2", "3"}) {
    StagedView view(*engine_, batch_, staged_);
    ASSERT_TRUE(view.Put(Family::kMeta, "counter", value).ok());
    auto seen = view.Get(Family::kMeta, "counter");
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen.value(), value);
    view.Publish();
  }
  {
    // An unpublished request's meta write is forgotten.
    StagedView refused(*engine_, batch_, staged_);
    ASSERT_TRUE(refused.Put(Family::kMeta, "counter", "refused").ok());
  }
  EXPECT_EQ(batch_.Count(), 0u);
  ASSERT_TRUE(staged_.WriteDeferred(*engine_, batch_).ok());
  EXPECT_EQ(batch_.Count(), 1u);
  rocksdb::WriteOptions options;
  options.sync = true;
  ASSERT_TRUE(engine_->db().Write(options, &batch_).ok());
  std::string stored;
  ASSERT_TRUE(engine_->db().Get(rocksdb::ReadOptions(), engine_->family(Family::kMeta), "counter",
                                &stored).ok());
  EXPECT_EQ(stored, "3");
}

}  // namespace
}  // namespace amparo::storage
