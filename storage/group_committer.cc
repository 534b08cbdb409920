#include "storage/group_committer.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "storage/rocksdb_status.h"

namespace amparo::storage {

GroupCommitter::GroupCommitter(rocksdb::DB& db, Options options)
    : db_(db), options_(std::move(options)), thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status GroupCommitter::Commit(Build build) {
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
  });
  std::unique_lock lock(waiter.mutex);
  waiter.finished.wait(lock, [&] { return waiter.done; });
  return waiter.status;
}

void GroupCommitter::CommitAsync(Build build, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queued) {
      queue_.push_back(Request{std::move(build), std::move(done)});
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
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything accepted is done
    }
    RunBatch();
  }
}

void GroupCommitter::RunBatch() {
  rocksdb::WriteBatch batch;
  std::vector<Done> members;
  std::vector<std::pair<Done, Status>> refused;
  while (members.size() + refused.size() < options_.max_batch_requests &&
         batch.GetDataSize() < options_.max_batch_bytes) {
    Request request;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) break;
      request = std::move(queue_.front());
      queue_.pop_front();
    }
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
  if (options_.batch_ended) options_.batch_ended();
  for (auto& [done, status] : refused) done(status);
  for (auto& done : members) done(outcome);
}

}  // namespace amparo::storage
