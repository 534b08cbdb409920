#include "storage/group_committer.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "storage/rocksdb_status.h"

namespace amparo::storage {
namespace {

// A kept batch buffer holds a full batch plus one more request of the same
// size (a batch closes only once it is past max_batch_bytes); a batch that
// grew it further gives it back.
constexpr std::size_t kKeptBatchCapacityFactor = 2;

std::unique_ptr<rocksdb::WriteBatch> NewBatch(std::size_t max_batch_bytes) {
  return std::make_unique<rocksdb::WriteBatch>(kKeptBatchCapacityFactor * max_batch_bytes);
}

}  // namespace

GroupCommitter::GroupCommitter(rocksdb::DB& db, Options options)
    : db_(db),
      options_(std::move(options)),
      batch_(NewBatch(options_.max_batch_bytes)),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status GroupCommitter::Commit(Build build, Lane lane) {
  if (std::this_thread::get_id() == thread_.get_id()) std::abort();
  struct Waiter {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    Status status;
  } waiter;
  CommitAsync(std::move(build), [&waiter](Status status) {
    // Notify under the lock: the waiter cannot return (and destroy itself)
    // before this thread has let go of it.
    std::lock_guard lock(waiter.mutex);
    waiter.status = status;
    waiter.done = true;
    waiter.finished.notify_one();
  }, lane);
  std::unique_lock lock(waiter.mutex);
  waiter.finished.wait(lock, [&] { return waiter.done; });
  return waiter.status;
}

void GroupCommitter::CommitAsync(Build build, Done done, Lane lane) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && priority_.size() + bulk_.size() < options_.max_queued) {
      (lane == Lane::kBulk ? bulk_ : priority_).push_back(Request{std::move(build), std::move(done)});
      if (lane == Lane::kPriority) last_priority_ = Clock::now();
      wake_.notify_one();
      return;
    }
  }
  // Refusing beats queueing without bound: the caller answers "try later".
  done(Error::kUnavailable);
}

GroupCommitter::Counters GroupCommitter::counters() const {
  return Counters{writes_.load(), syncs_.load()};
}

void GroupCommitter::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!priority_.empty() || (!bulk_.empty() && BulkReady(Clock::now()))) {
      lock.unlock();
      RunBatch();
      lock.lock();
    } else if (bulk_.empty()) {
      // Stopping, and everything accepted is done.
      if (stopping_) return;
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, bulk_ready_);
    }
  }
}

bool GroupCommitter::BulkReady(Clock::time_point now) const {
  // Stopping finishes what was accepted without waiting.
  return stopping_ || now >= bulk_ready_;
}

bool GroupCommitter::Next(bool first, Lane& lane, Request& request) {
  std::lock_guard lock(mutex_);
  if (first) {
    const bool bulk = !bulk_.empty() && BulkReady(Clock::now());
    lane = bulk && (bulk_owed_ || priority_.empty()) ? Lane::kBulk : Lane::kPriority;
  }
  std::deque<Request>& queue = lane == Lane::kBulk ? bulk_ : priority_;
  if (queue.empty()) return false;
  request = std::move(queue.front());
  queue.pop_front();
  return true;
}

void GroupCommitter::ResetBatch() {
  // The buffer's capacity, not the batch's size: a large request rolled back
  // leaves a small batch in a grown buffer.
  if (batch_->Data().capacity() > kKeptBatchCapacityFactor * options_.max_batch_bytes) {
    batch_ = NewBatch(options_.max_batch_bytes);
  } else {
    batch_->Clear();
  }
}

void GroupCommitter::RunBatch() {
  const Clock::time_point start = Clock::now();
  rocksdb::WriteBatch& batch = *batch_;
  std::vector<Done> members;
  std::vector<std::pair<Done, Status>> refused;
  Lane lane = Lane::kPriority;
  // A batch takes at least one request, whatever the limits (an empty
  // WriteBatch already holds a header's bytes).
  for (bool first = true;
       first || (members.size() + refused.size() < options_.max_batch_requests &&
                 batch.GetDataSize() < options_.max_batch_bytes);
       first = false) {
    Request request;
    if (!Next(first, lane, request)) break;
    batch.SetSavePoint();
    const Status built = request.build(batch);
    if (built.ok()) {
      if (!batch.PopSavePoint().ok()) std::abort();
      members.push_back(std::move(request.done));
    } else {
      if (!batch.RollbackToSavePoint().ok()) std::abort();
      refused.emplace_back(std::move(request.done), built);
    }
  }

  {
    std::lock_guard lock(mutex_);
    bulk_owed_ = lane == Lane::kPriority && !bulk_.empty();
    const std::size_t rate = options_.paced_bulk_bytes_per_second;
    if (lane == Lane::kBulk && rate > 0 && last_priority_ > start - options_.pacing_window) {
      bulk_ready_ = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(
                                    static_cast<double>(batch.GetDataSize()) /
                                    static_cast<double>(rate)));
    }
  }

  Status outcome;
  if (!members.empty() && options_.batch_closing) outcome = options_.batch_closing(batch);
  if (!members.empty() && outcome.ok()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;  // durable before anyone is told so
    write_options.disableWAL = false;
    const rocksdb::Status written = db_.Write(write_options, &batch);
    syncs_.fetch_add(1);
    if (written.ok()) {
      writes_.fetch_add(members.size());
    } else {
      outcome = ToError(written);
    }
  }
  ResetBatch();
  if (options_.batch_ended) options_.batch_ended();
  for (auto& [done, status] : refused) done(status);
  for (auto& done : members) done(outcome);
}

}  // namespace amparo::storage
