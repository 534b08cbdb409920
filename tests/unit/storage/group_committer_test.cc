// group_committer_test.cc: the committer writes each batch once, synced;
// a failed request is rolled back without harming its batch; completions run
// on the committer thread with no lock held; the queue holds
// kMaxStoreQueuedWrites requests and refuses one more; destruction finishes
// what was accepted.

#include "storage/group_committer.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "storage/rocksdb_engine.h"
#include "tests/support/temp_dir.h"

namespace amparo::storage {
namespace {

// Latch lets a test hold the committer inside a build until released.
class Latch {
 public:
  void Arrive() {
    std::lock_guard lock(mutex_);
    arrived_ = true;
    changed_.notify_all();
  }
  void WaitArrived() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return arrived_; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  void WaitReleased() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return released_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool arrived_ = false;
  bool released_ = false;
};

// Countdown waits for a number of completions and records their outcomes.
class Countdown {
 public:
  explicit Countdown(std::size_t expected) : expected_(expected) {}
  GroupCommitter::Done Done() {
    return [this](Status status) {
      std::lock_guard lock(mutex_);
      if (!status.ok()) failures_.push_back(status.error());
      ++seen_;
      changed_.notify_all();
    };
  }
  std::vector<Error> Wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return seen_ == expected_; });
    return failures_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  const std::size_t expected_;
  std::size_t seen_ = 0;
  std::vector<Error> failures_;
};

class GroupCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = RocksDbEngine::Open(dir_.path() / "db", EngineOptions{});
    ASSERT_TRUE(engine.ok());
    engine_ = std::move(engine).value();
  }

  GroupCommitter::Build PutKey(std::string key) {
    return [this, key = std::move(key)](rocksdb::WriteBatch& batch) -> Status {
      if (!batch.Put(engine_->family(Family::kAudit), key, "v").ok()) return Error::kIo;
      return OkStatus();
    };
  }

  bool Has(const std::string& key) {
    std::string value;
    return engine_->db().Get(rocksdb::ReadOptions(), engine_->family(Family::kAudit), key, &value)
        .ok();
  }

  amparo::test::TempDir dir_;
  std::unique_ptr<RocksDbEngine> engine_;
};

TEST_F(GroupCommitterTest, CommitReturnsOnceWrittenAndCounts) {
  GroupCommitter committer(engine_->db(), {});
  ASSERT_TRUE(committer.Commit(PutKey("a")).ok());
  EXPECT_TRUE(Has("a"));
  ASSERT_TRUE(committer.Commit(PutKey("b")).ok());
  EXPECT_EQ(committer.counters().writes, 2u);
  EXPECT_EQ(committer.counters().syncs, 2u);
}

TEST_F(GroupCommitterTest, FailedRequestIsRolledBackAndItsBatchStillCommits) {
  Latch latch;
  GroupCommitter committer(engine_->db(), {});
  Countdown blocker(1);
  committer.CommitAsync(
      [&](rocksdb::WriteBatch&) -> Status {
        latch.Arrive();
        latch.WaitReleased();
        return OkStatus();
      },
      blocker.Done());
  latch.WaitArrived();

  // These three wait in the queue and are built into one batch.
  Countdown three(3);
  committer.CommitAsync(PutKey("first"), three.Done());
  committer.CommitAsync(
      [this](rocksdb::WriteBatch& batch) -> Status {
        (void)batch.Put(engine_->family(Family::kAudit), "refused", "v");
        return Error::kConflict;
      },
      three.Done());
  committer.CommitAsync(PutKey("third"), three.Done());
  latch.Release();
  EXPECT_TRUE(blocker.Wait().empty());
  EXPECT_EQ(three.Wait(), std::vector<Error>{Error::kConflict});

  EXPECT_TRUE(Has("first"));
  EXPECT_FALSE(Has("refused"));
  EXPECT_TRUE(Has("third"));
  EXPECT_EQ(committer.counters().writes, 3u);
  EXPECT_EQ(committer.counters().syncs, 1u);
}

// The committer reuses one batch buffer; every batch must still write its own
// requests' records and nothing of the batch before: after a batch of one
// record, after one that outgrew the kept buffer, and after a failed one.
// RocksDB numbers every record it writes, so the sequence number counts them.
TEST_F(GroupCommitterTest, EachBatchWritesOnlyItsOwnRecords) {
  GroupCommitter::Options options;
  options.max_batch_bytes = 1024;  // the kept buffer: 2 KiB
  bool fail_closing = false;
  options.batch_closing = [&](rocksdb::WriteBatch&) -> Status {
    return fail_closing ? Status(Error::kIo) : OkStatus();
  };
  GroupCommitter committer(engine_->db(), std::move(options));
  rocksdb::DB& db = engine_->db();
  auto put = [this](std::string key, std::size_t size) -> GroupCommitter::Build {
    return [this, key = std::move(key), size](rocksdb::WriteBatch& batch) -> Status {
      if (!batch.Put(engine_->family(Family::kAudit), key, std::string(size, 'x')).ok()) {
        return Error::kIo;
      }
      return OkStatus();
    };
  };

  const rocksdb::SequenceNumber start = db.GetLatestSequenceNumber();
  ASSERT_TRUE(committer.Commit(put("one", 1)).ok());
  EXPECT_EQ(db.GetLatestSequenceNumber(), start + 1);
  ASSERT_TRUE(committer.Commit(put("large", 8 * 1024)).ok());
  EXPECT_EQ(db.GetLatestSequenceNumber(), start + 2);
  ASSERT_TRUE(committer.Commit(put("after-large", 1)).ok());
  EXPECT_EQ(db.GetLatestSequenceNumber(), start + 3);
  fail_closing = true;
  EXPECT_FALSE(committer.Commit(put("failed", 1)).ok());
  fail_closing = false;
  ASSERT_TRUE(committer.Commit(put("after-failed", 1)).ok());
  EXPECT_EQ(db.GetLatestSequenceNumber(), start + 4);
  EXPECT_FALSE(Has("failed"));
  EXPECT_TRUE(Has("after-failed"));
}

TEST_F(GroupCommitterTest, BatchEndedRunsBeforeCompletions) {
  std::atomic<int> ended{0};
  GroupCommitter::Options options;
  options.batch_ended = [&] { ended.fetch_add(1); };
  GroupCommitter committer(engine_->db(), std::move(options));
  int seen_at_completion = -1;
  Countdown one(1);
  auto done = one.Done();
  committer.CommitAsync(PutKey("k"), [&, done](Status status) {
    seen_at_completion = ended.load();
    done(status);
  });
  EXPECT_TRUE(one.Wait().empty());
  EXPECT_EQ(seen_at_completion, 1);
}

TEST_F(GroupCommitterTest, BatchClosingAppendsToTheBatchOnce) {
  std::atomic<int> closings{0};
  GroupCommitter::Options options;
  options.batch_closing = [&](rocksdb::WriteBatch& batch) -> Status {
    closings.fetch_add(1);
    if (!batch.Put(engine_->family(Family::kAudit), "summary", "v").ok()) return Error::kIo;
    return OkStatus();
  };
  GroupCommitter committer(engine_->db(), std::move(options));
  ASSERT_TRUE(committer.Commit(PutKey("a")).ok());
  EXPECT_TRUE(Has("a"));
  EXPECT_TRUE(Has("summary"));
  EXPECT_EQ(closings.load(), 1);
}

TEST_F(GroupCommitterTest, FailedBatchClosingFailsTheWholeBatch) {
  GroupCommitter::Options options;
  options.batch_closing = [](rocksdb::WriteBatch&) -> Status { return Error::kIo; };
  GroupCommitter committer(engine_->db(), std::move(options));
  const Status status = committer.Commit(PutKey("a"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
  EXPECT_FALSE(Has("a"));
  EXPECT_EQ(committer.counters().writes, 0u);
  EXPECT_EQ(committer.counters().syncs, 0u);
}

TEST_F(GroupCommitterTest, QueueHoldsItsLimitAndRefusesOneMore) {
  Latch latch;
  GroupCommitter committer(engine_->db(), {});
  Countdown blocker(1);
  committer.CommitAsync(
      [&](rocksdb::WriteBatch&) -> Status {
        latch.Arrive();
        latch.WaitReleased();
        return OkStatus();
      },
      blocker.Done());
  latch.WaitArrived();

  Countdown queued(limits::kMaxStoreQueuedWrites);
  for (std::size_t i = 0; i < limits::kMaxStoreQueuedWrites; ++i) {
    committer.CommitAsync(PutKey("k" + std::to_string(i)), queued.Done());
  }
  Status refused;
  const auto caller = std::this_thread::get_id();
  bool on_caller = false;
  committer.CommitAsync(PutKey("one more"), [&](Status status) {
    refused = status;
    on_caller = std::this_thread::get_id() == caller;
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), Error::kUnavailable);
  EXPECT_TRUE(on_caller);

  latch.Release();
  EXPECT_TRUE(blocker.Wait().empty());
  EXPECT_TRUE(queued.Wait().empty());
  EXPECT_FALSE(Has("one more"));
  EXPECT_TRUE(Has("k" + std::to_string(limits::kMaxStoreQueuedWrites - 1)));
}

TEST_F(GroupCommitterTest, ConfiguredQueueLimitIsLowerStill) {
  Latch latch;
  GroupCommitter::Options options;
  options.max_queued = 2;
  GroupCommitter committer(engine_->db(), std::move(options));
  Countdown blocker(1);
  committer.CommitAsync(
      [&](rocksdb::WriteBatch&) -> Status {
        latch.Arrive();
        latch.WaitReleased();
        return OkStatus();
      },
      blocker.Done());
  latch.WaitArrived();
  Countdown two(2);
  committer.CommitAsync(PutKey("a"), two.Done());
  committer.CommitAsync(PutKey("b"), two.Done());
  Status third;
  committer.CommitAsync(PutKey("c"), [&](Status status) { third = status; });
  EXPECT_EQ(third.error(), Error::kUnavailable);
  latch.Release();
  EXPECT_TRUE(two.Wait().empty());
}

TEST_F(GroupCommitterTest, CompletionsRunOnTheCommitterThreadWithoutLocks) {
  GroupCommitter committer(engine_->db(), {});
  std::thread::id first_thread;
  Countdown chained(1);
  auto done = chained.Done();
  Countdown first(1);
  auto first_done = first.Done();
  committer.CommitAsync(PutKey("one"), [&, done, first_done](Status status) {
    first_thread = std::this_thread::get_id();
    // Submitting from a completion must not deadlock.
    committer.CommitAsync(PutKey("two"), done);
    first_done(status);
  });
  EXPECT_TRUE(first.Wait().empty());
  EXPECT_TRUE(chained.Wait().empty());
  EXPECT_NE(first_thread, std::this_thread::get_id());
  EXPECT_TRUE(Has("two"));
}

TEST_F(GroupCommitterTest, DestructionFinishesAcceptedRequests) {
  constexpr std::size_t kRequests = 300;
  Countdown all(kRequests);
  {
    GroupCommitter committer(engine_->db(), {});
    for (std::size_t i = 0; i < kRequests; ++i) {
      committer.CommitAsync(PutKey("d" + std::to_string(i)), all.Done());
    }
  }
  EXPECT_TRUE(all.Wait().empty());
  for (std::size_t i = 0; i < kRequests; ++i) EXPECT_TRUE(Has("d" + std::to_string(i))) << i;
}

TEST_F(GroupCommitterTest, BatchesCloseAtTheirRequestLimit) {
  Latch latch;
  GroupCommitter::Options options;
  options.max_batch_requests = 10;
  GroupCommitter committer(engine_->db(), std::move(options));
  Countdown blocker(1);
  committer.CommitAsync(
      [&](rocksdb::WriteBatch&) -> Status {
        latch.Arrive();
        latch.WaitReleased();
        return OkStatus();
      },
      blocker.Done());
  latch.WaitArrived();
  Countdown rest(29);
  for (int i = 0; i < 29; ++i) committer.CommitAsync(PutKey("r" + std::to_string(i)), rest.Done());
  latch.Release();
  EXPECT_TRUE(blocker.Wait().empty());
  EXPECT_TRUE(rest.Wait().empty());
  // 30 requests, at most 10 per batch: exactly 3 synced writes.
  EXPECT_EQ(committer.counters().syncs, 3u);
  EXPECT_EQ(committer.counters().writes, 30u);
}

// BuildOrder runs three requests queued behind a bulk request that holds
// the committer, one request per batch (max_batch_bytes of 1), and returns
// the order they were built in.
class BuildOrder {
 public:
  explicit BuildOrder(rocksdb::DB& db) {
    GroupCommitter::Options options;
    options.max_batch_bytes = 1;
    committer_ = std::make_unique<GroupCommitter>(db, std::move(options));
    committer_->CommitAsync(
        [this](rocksdb::WriteBatch& batch) -> Status {
          latch_.Arrive();
          latch_.WaitReleased();
          return batch.PutLogData("held").ok() ? OkStatus() : Status(Error::kIo);
        },
        [](Status) {}, Lane::kBulk);
    latch_.WaitArrived();
  }
  void Queue(const std::string& name, Lane lane) {
    committer_->CommitAsync(
        [this, name](rocksdb::WriteBatch& batch) -> Status {
          std::lock_guard lock(mutex_);
          order_.push_back(name);
          return batch.PutLogData(name).ok() ? OkStatus() : Status(Error::kIo);
        },
        done_.Done(), lane);
  }
  std::vector<std::string> Run() {
    latch_.Release();
    EXPECT_TRUE(done_.Wait().empty());
    std::lock_guard lock(mutex_);
    return order_;
  }

 private:
  Latch latch_;
  Countdown done_{3};
  std::mutex mutex_;
  std::vector<std::string> order_;
  std::unique_ptr<GroupCommitter> committer_;
};

TEST_F(GroupCommitterTest, APriorityRequestOvertakesBulkRequestsQueuedBeforeIt) {
  BuildOrder order(engine_->db());
  order.Queue("bulk 1", Lane::kBulk);
  order.Queue("bulk 2", Lane::kBulk);
  order.Queue("priority", Lane::kPriority);
  EXPECT_EQ(order.Run(), (std::vector<std::string>{"priority", "bulk 1", "bulk 2"}));
}

TEST_F(GroupCommitterTest, BulkRequestsAreNotStarvedByPriorityOnes) {
  // After a batch that took no bulk request while one waited, the next batch
  // starts with one.
  BuildOrder order(engine_->db());
  order.Queue("bulk", Lane::kBulk);
  order.Queue("priority 1", Lane::kPriority);
  order.Queue("priority 2", Lane::kPriority);
  EXPECT_EQ(order.Run(), (std::vector<std::string>{"priority 1", "bulk", "priority 2"}));
}

TEST_F(GroupCommitterTest, ABatchHoldsTheRequestsOfOneLane) {
  // A submission's own sync must not carry an upload's chunk: with room in
  // the batch for all of them, the priority requests share one batch and the
  // bulk one waiting among them gets the next.
  std::atomic<int> batches{0};
  GroupCommitter::Options options;
  options.batch_ended = [&] { ++batches; };
  GroupCommitter committer(engine_->db(), std::move(options));
  Latch latch;
  std::mutex mutex;
  std::vector<std::pair<std::string, int>> built;  // name, batch
  auto record = [&](std::string name) {
    return [&, name](rocksdb::WriteBatch& batch) -> Status {
      if (name == "holder") {
        latch.Arrive();
        latch.WaitReleased();
      }
      std::lock_guard lock(mutex);
      built.emplace_back(name, batches.load());
      return batch.PutLogData(name).ok() ? OkStatus() : Status(Error::kIo);
    };
  };
  Countdown done(4);
  committer.CommitAsync(record("holder"), done.Done());
  latch.WaitArrived();
  committer.CommitAsync(record("bulk"), done.Done(), Lane::kBulk);
  committer.CommitAsync(record("priority 1"), done.Done());
  committer.CommitAsync(record("priority 2"), done.Done());
  latch.Release();
  EXPECT_TRUE(done.Wait().empty());
  std::lock_guard lock(mutex);
  EXPECT_EQ(built, (std::vector<std::pair<std::string, int>>{
                       {"holder", 0}, {"priority 1", 0}, {"priority 2", 0}, {"bulk", 1}}));
  EXPECT_EQ(committer.counters().syncs, 2u);
}

// BulkTimeline commits bulk requests of kBulkBytes each through a committer
// that paces bulk at kRate, one request per batch, and records when each
// request was built and in what order.
class BulkTimeline {
 public:
  static constexpr std::size_t kBulkBytes = 256 * 1024;
  static constexpr std::size_t kRate = 512 * 1024;  // a bulk batch is 0.5 s of it

  explicit BulkTimeline(rocksdb::DB& db) {
    GroupCommitter::Options options;
    options.max_batch_bytes = 1;
    options.paced_bulk_bytes_per_second = kRate;
    options.pacing_window = std::chrono::minutes(1);
    committer_ = std::make_unique<GroupCommitter>(db, std::move(options));
  }
  GroupCommitter& committer() { return *committer_; }
  GroupCommitter::Build Record(std::string name, std::size_t bytes) {
    return [this, name, bytes](rocksdb::WriteBatch& batch) -> Status {
      {
        std::lock_guard lock(mutex_);
        built_.emplace_back(name, std::chrono::steady_clock::now());
      }
      return batch.PutLogData(std::string(bytes, 'b')).ok() ? OkStatus() : Status(Error::kIo);
    };
  }
  std::vector<std::string> Order() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& [name, at] : built_) names.push_back(name);
    return names;
  }
  // Gap is the time between the builds of two recorded requests.
  std::chrono::milliseconds Gap(const std::string& first, const std::string& second) {
    std::lock_guard lock(mutex_);
    std::chrono::steady_clock::time_point a{}, b{};
    for (const auto& [name, at] : built_) {
      if (name == first) a = at;
      if (name == second) b = at;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a);
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> built_;
  std::unique_ptr<GroupCommitter> committer_;
};

TEST_F(GroupCommitterTest, BulkIsPacedWhileSubmissionsArriveAndSubmissionsGoBetween) {
  BulkTimeline timeline(engine_->db());
  ASSERT_TRUE(timeline.committer().Commit(timeline.Record("submission", 1)).ok());
  Latch first_done;
  Countdown bulk(2);
  timeline.committer().CommitAsync(
      timeline.Record("bulk 1", BulkTimeline::kBulkBytes),
      [&, done = bulk.Done()](Status status) {
        done(status);
        first_done.Arrive();
      },
      Lane::kBulk);
  timeline.committer().CommitAsync(timeline.Record("bulk 2", BulkTimeline::kBulkBytes), bulk.Done(),
                                   Lane::kBulk);
  first_done.WaitArrived();
  // While the second bulk request waits out its pace, a submission is
  // written at once.
  ASSERT_TRUE(timeline.committer().Commit(timeline.Record("during the pause", 1)).ok());
  EXPECT_TRUE(bulk.Wait().empty());
  EXPECT_EQ(timeline.Order(),
            (std::vector<std::string>{"submission", "bulk 1", "during the pause", "bulk 2"}));
  // 256 KiB at 512 KiB/s: the second starts half a second after the first.
  EXPECT_GE(timeline.Gap("bulk 1", "bulk 2"), std::chrono::milliseconds(450));
}

TEST_F(GroupCommitterTest, BulkAloneIsNotPaced) {
  BulkTimeline timeline(engine_->db());
  Countdown bulk(3);
  for (const char* name : {"bulk 1", "bulk 2", "bulk 3"}) {
    timeline.committer().CommitAsync(timeline.Record(name, BulkTimeline::kBulkBytes), bulk.Done(),
                                     Lane::kBulk);
  }
  EXPECT_TRUE(bulk.Wait().empty());
  // Paced, they would take a second; three small synced writes take far less.
  EXPECT_LT(timeline.Gap("bulk 1", "bulk 3"), std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace amparo::storage
