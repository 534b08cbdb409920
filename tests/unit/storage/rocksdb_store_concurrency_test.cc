// rocksdb_store_concurrency_test.cc: many writers at once. Concurrent puts
// all become durable while sharing fsyncs (group commit); asynchronous puts
// complete on the committer thread; racing writers to one upload offset or one
// envelope id never both win, even inside one batch.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "storage/rocksdb_store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage {
namespace {

using test::ContentFor;
using test::EnvelopeNumber;
using test::kToday;
using test::OpenOrDie;
using test::UploadNumber;

// StartLine releases every waiting thread at once, so that they contend.
class StartLine {
 public:
  void Wait() {
    std::unique_lock lock(mutex_);
    go_.wait(lock, [&] { return open_; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    go_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable go_;
  bool open_ = false;
};

class RocksDbStoreConcurrencyTest : public ::testing::Test {
 protected:
  amparo::test::TempDir dir_;
  std::filesystem::path path() const { return dir_.path() / "store"; }
};

TEST_F(RocksDbStoreConcurrencyTest, ConcurrentPutsAllSucceedAndShareSyncs) {
  constexpr std::size_t kThreads = 64;
  constexpr std::size_t kPutsPerThread = 20;
  constexpr std::size_t kPuts = kThreads * kPutsPerThread;
  auto store = OpenOrDie(path());
  const std::vector<std::uint8_t> envelope(4995, 0x5a);

  StartLine start;
  std::atomic<std::size_t> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.Wait();
      for (std::size_t i = 0; i < kPutsPerThread; ++i) {
        const auto id = EnvelopeNumber(t * kPutsPerThread + i + 1);
        if (!store->PutEnvelope(id, envelope, kToday).ok()) failures.fetch_add(1);
      }
    });
  }
  const auto began = std::chrono::steady_clock::now();
  start.Open();
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

  EXPECT_EQ(failures.load(), 0u);
  const auto stats = store->Stats().value();
  EXPECT_EQ(stats.envelopes, kPuts);
  EXPECT_EQ(stats.commit_writes, kPuts);
  EXPECT_LT(stats.commit_syncs, kPuts / 4);
  std::printf("group commit: %zu puts of %zu bytes from %zu threads in %.3f s "
              "(%.0f puts/s), %llu syncs (%.1f puts per sync)\n",
              kPuts, envelope.size(), kThreads, seconds, static_cast<double>(kPuts) / seconds,
              static_cast<unsigned long long>(stats.commit_syncs),
              static_cast<double>(kPuts) / static_cast<double>(stats.commit_syncs));

  // Every put got its own sequence number, without gaps.
  auto listed = store->ListEnvelopes(0, limits::kMaxStoreListEnvelopes);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value().size(), kPuts);
  std::set<EnvelopeId> ids;
  for (std::size_t i = 0; i < kPuts; ++i) {
    EXPECT_EQ(listed.value()[i].seq, i + 1);
    ids.insert(listed.value()[i].id);
  }
  EXPECT_EQ(ids.size(), kPuts);
}

TEST_F(RocksDbStoreConcurrencyTest, AsyncPutsCompleteOnTheCommitterThread) {
  constexpr std::size_t kPuts = 200;
  auto store = OpenOrDie(path());
  std::mutex mutex;
  std::condition_variable finished;
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::size_t on_caller_thread = 0;
  const auto caller = std::this_thread::get_id();
  for (std::size_t n = 1; n <= kPuts; ++n) {
    const auto id = EnvelopeNumber(n);
    store->PutEnvelopeAsync(id, ContentFor(id, 300), kToday, [&](Status status) {
      std::lock_guard lock(mutex);
      if (!status.ok()) ++failed;
      if (std::this_thread::get_id() == caller) ++on_caller_thread;
      ++completed;
      finished.notify_all();
    });
  }
  {
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return completed == kPuts; });
  }
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(on_caller_thread, 0u);
  EXPECT_EQ(store->Stats().value().envelopes, kPuts);
  EXPECT_LT(store->Stats().value().commit_syncs, kPuts);
}

TEST_F(RocksDbStoreConcurrencyTest, AsyncArgumentErrorsCompleteOnTheCallingThread) {
  auto store = OpenOrDie(path());
  bool called = false;
  store->PutEnvelopeAsync(EnvelopeId(), {1, 2, 3}, kToday, [&](Status status) {
    called = true;
    EXPECT_EQ(status.error(), Error::kInvalidArgument);
  });
  EXPECT_TRUE(called);
}

TEST_F(RocksDbStoreConcurrencyTest, CompletionMaySubmitTheNextWrite) {
  // done runs with no store lock held: chaining a write from it must not
  // deadlock, which is what an executor that answers from done will do.
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  const auto bytes = ContentFor(EnvelopeNumber(1), 3000);
  ASSERT_TRUE(store->CreateUpload(upload, 3000, {}, kToday).ok());
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  Status last;
  store->AppendUploadAsync(upload, 0, {bytes.begin(), bytes.begin() + 1500}, [&](Status first) {
    EXPECT_TRUE(first.ok());
    store->AppendUploadAsync(upload, 1500, {bytes.begin() + 1500, bytes.end()}, [&](Status second) {
      EXPECT_TRUE(second.ok());
      store->FinalizeUploadAsync(upload, EnvelopeNumber(1), kToday, [&](Status third) {
        std::lock_guard lock(mutex);
        last = third;
        done = true;
        finished.notify_all();
      });
    });
  });
  std::unique_lock lock(mutex);
  finished.wait(lock, [&] { return done; });
  EXPECT_TRUE(last.ok());
  VectorSink sink;
  ASSERT_TRUE(store->ReadEnvelope(EnvelopeNumber(1), sink).ok());
  EXPECT_EQ(sink.bytes(), bytes);
}

TEST_F(RocksDbStoreConcurrencyTest, RacingAppendsAtOneOffsetHaveOneWinner) {
  constexpr std::size_t kThreads = 16;
  auto store = OpenOrDie(path());
  const auto upload = UploadNumber(1);
  ASSERT_TRUE(store->CreateUpload(upload, 1000, {}, kToday).ok());
  StartLine start;
  std::atomic<std::size_t> winners{0};
  std::atomic<std::size_t> conflicts{0};
  std::atomic<std::size_t> winner{kThreads};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::vector<std::uint8_t> mine(1000, static_cast<std::uint8_t>(t));
      start.Wait();
      const Status status = store->AppendUpload(upload, 0, mine);
      if (status.ok()) {
        winners.fetch_add(1);
        winner.store(t);
      } else if (status.error() == Error::kConflict) {
        conflicts.fetch_add(1);
      }
    });
  }
  start.Open();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1u);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(store->UploadOffset(upload).value(), 1000u);
  ASSERT_TRUE(store->FinalizeUpload(upload, EnvelopeNumber(1), kToday).ok());
  VectorSink sink;
  ASSERT_TRUE(store->ReadEnvelope(EnvelopeNumber(1), sink).ok());
  EXPECT_EQ(sink.bytes(),
            std::vector<std::uint8_t>(1000, static_cast<std::uint8_t>(winner.load())));
  EXPECT_EQ(store->Stats().value().upload_bytes, 0u);
}

TEST_F(RocksDbStoreConcurrencyTest, RacingPutsOfOneIdHaveOneWinner) {
  constexpr std::size_t kThreads = 16;
  auto store = OpenOrDie(path());
  StartLine start;
  std::atomic<std::size_t> winners{0};
  std::atomic<std::size_t> conflicts{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::vector<std::uint8_t> mine(100, static_cast<std::uint8_t>(t));
      start.Wait();
      const Status status = store->PutEnvelope(EnvelopeNumber(1), mine, kToday);
      if (status.ok()) {
        winners.fetch_add(1);
      } else if (status.error() == Error::kConflict) {
        conflicts.fetch_add(1);
      }
    });
  }
  start.Open();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1u);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(store->Stats().value().envelopes, 1u);
  EXPECT_EQ(store->ListEnvelopes(0, 10).value().size(), 1u);
}

}  // namespace
}  // namespace amparo::storage
