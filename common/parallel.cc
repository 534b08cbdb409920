#include "common/parallel.h"

#include <algorithm>

namespace amparo {

ParallelFor::ParallelFor(std::size_t extra_threads) : extra_threads_(extra_threads) {}

ParallelFor::~ParallelFor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

std::size_t ParallelFor::DefaultExtraThreads() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware <= 1 ? 0 : std::min<std::size_t>(hardware - 1, 3);
}

void ParallelFor::StartWorkers() {
  while (workers_.size() < extra_threads_) workers_.emplace_back([this] { WorkerLoop(); });
}

// Drain takes items until none is left; called with the lock not held.
void ParallelFor::Drain() {
  while (true) {
    std::size_t index = 0;
    const std::function<void(std::size_t)>* job = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (next_ >= count_) return;
      index = next_++;
      job = job_;
    }
    (*job)(index);
    std::lock_guard lock(mutex_);
    if (++finished_ == count_) work_done_.notify_all();
  }
}

void ParallelFor::WorkerLoop() {
  std::size_t seen_generation = 0;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
      if (stopping_) return;
      seen_generation = generation_;
    }
    Drain();
  }
}

void ParallelFor::Run(std::size_t count, const std::function<void(std::size_t)>& fn) {
  if (count == 0) return;
  if (count == 1 || extra_threads_ == 0) {
    for (std::size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  StartWorkers();
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    count_ = count;
    next_ = 0;
    finished_ = 0;
    ++generation_;
  }
  work_ready_.notify_all();
  Drain();
  std::unique_lock lock(mutex_);
  work_done_.wait(lock, [&] { return finished_ == count_; });
  job_ = nullptr;
}

}  // namespace amparo
