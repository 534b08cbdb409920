#pragma once
// group_committer.h: group commit. Writers on many threads hand in requests;
// one committer thread builds every waiting request into a shared
// rocksdb::WriteBatch, writes the batch once with sync=true, and then
// completes all of its requests: one fsync serves a whole batch, which is what
// makes durable intake fast (a lone synced write costs a full disk flush).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/limits.h"
#include "common/result.h"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace amparo::storage {

// Lane orders waiting requests. A batch holds the requests of one lane: the
// waiting kPriority ones if there are any, else kBulk ones; and a kPriority
// batch while kBulk requests waited is followed by a kBulk batch, so bulk
// never starves.
// Requests waiting together are concurrent, none acknowledged yet, so any
// order between them is a valid one; within a lane the order is kept.
// Uploads' chunks go in kBulk, so that a small submission waits behind at most
// one batch of them (the one being written when it arrived), not behind every
// chunk queued before it, and its own batch's sync writes no chunk.
enum class Lane { kPriority, kBulk };

class GroupCommitter {
 public:
  // Build appends one request's records to the batch. Builds run on the
  // committer thread one at a time, in submission order, and nothing else
  // writes to the database, so a build may read the state it depends on and
  // rely on it. If a build fails, what it appended is rolled back and its
  // request completes with the build's error.
  using Build = std::function<Status(rocksdb::WriteBatch& batch)>;
  using Done = std::function<void(Status)>;

  // Options tune the committer; the defaults suit the store.
  struct Options {
    // max_queued bounds requests waiting to be built (may only be lowered).
    std::size_t max_queued = limits::kMaxStoreQueuedWrites;
    // A batch closes once it holds this many requests or bytes. The bytes
    // bound what a request arriving during a batch waits for: that batch's
    // write and sync, then its own batch's.
    std::size_t max_batch_requests = 1024;
    std::size_t max_batch_bytes = 1024 * 1024;
    // Pacing of kBulk while submissions arrive: if a kPriority request came
    // within the last pacing_window, a kBulk batch of n bytes is followed by
    // no other kBulk batch for n / paced_bulk_bytes_per_second (kPriority
    // batches run meanwhile), so that uploads, which can fill the disk, leave
    // its time to submissions. Alone, kBulk is not paced. 0 turns pacing off.
    std::size_t paced_bulk_bytes_per_second = limits::kPacedUploadBytesPerSecond;
    std::chrono::milliseconds pacing_window{1000};
    // batch_closing runs on the committer thread after the last request of a
    // non-empty batch is built and before the batch is written; it may append
    // records that sum up the batch. If it fails, every request of the batch
    // completes with its error and nothing is written.
    std::function<Status(rocksdb::WriteBatch&)> batch_closing;
    // batch_ended runs on the committer thread after each batch is written or
    // has failed, before its requests complete, so that the owner can drop
    // state that lives for one batch.
    std::function<void()> batch_ended;
  };

  // Counters count since construction: requests made durable, and synced
  // writes of the log (one per non-empty batch, failed ones included).
  struct Counters {
    std::uint64_t writes = 0;
    std::uint64_t syncs = 0;
  };

  // GroupCommitter starts the committer thread. `db` is borrowed and must
  // outlive this object.
  GroupCommitter(rocksdb::DB& db, Options options);
  // ~GroupCommitter commits every request already accepted, then joins the
  // committer thread; later submissions are refused with kUnavailable.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Commit submits a request and waits until it is durable (ok) or refused:
  // the build's error, kIo or kUnavailable if the write failed, kUnavailable
  // if the queue is full or the committer is stopping. Calling it on the
  // committer thread (from a Done) would wait forever and aborts instead.
  Status Commit(Build build, Lane lane = Lane::kPriority);

  // CommitAsync submits a request and returns at once. `done` runs on the
  // committer thread, with no lock held, once the request is durable or
  // refused; if the request is refused at once (queue full, stopping), it
  // runs on the calling thread before CommitAsync returns.
  void CommitAsync(Build build, Done done, Lane lane = Lane::kPriority);

  Counters counters() const;

 private:
  struct Request {
    Build build;
    Done done;
  };

  using Clock = std::chrono::steady_clock;

  void Run();
  void RunBatch();
  // BulkReady says whether a kBulk batch may start now. Requires mutex_.
  bool BulkReady(Clock::time_point now) const;
  // Next takes the next request to build into the batch, from the batch's
  // lane; `first` (the batch is empty so far) chooses the lane first. False
  // if none waits in it.
  bool Next(bool first, Lane& lane, Request& request);
  // ResetBatch empties batch_ for the next batch, keeping its buffer unless
  // a batch grew it past kKeptBatchCapacityFactor * max_batch_bytes.
  void ResetBatch();

  rocksdb::DB& db_;
  const Options options_;
  // batch_ is the batch being built, used by the committer thread alone. It
  // is reused rather than built anew: a fresh batch grows its buffer by
  // copying, and every buffer past the gateway's mmap threshold (heap_policy.h)
  // is new pages that fault in one by one; building batches that way was a
  // third of the intake's CPU on the committer thread, which every request
  // waits for.
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> syncs_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> priority_;  // guarded by mutex_
  std::deque<Request> bulk_;      // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  bool bulk_owed_ = false;     // guarded by mutex_: see Lane
  Clock::time_point last_priority_ = Clock::time_point::min();  // guarded by mutex_
  Clock::time_point bulk_ready_{};     // guarded by mutex_: see Options' pacing
  std::thread thread_;         // last: starts once everything above exists
};

}  // namespace amparo::storage
