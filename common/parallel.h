#pragma once
// parallel.h: a small fork-join helper for data-parallel loops over
// independent items, such as the chunks of an age payload.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace amparo {

// ParallelFor runs fn(i) for every i in [0, count), spread over the calling
// thread and up to `extra_threads` workers that it starts on first need and
// joins on destruction. For returns when every call has returned. fn must be
// safe to run concurrently for different i. Not itself thread-safe.
class ParallelFor {
 public:
  explicit ParallelFor(std::size_t extra_threads = DefaultExtraThreads());
  ~ParallelFor();
  ParallelFor(const ParallelFor&) = delete;
  ParallelFor& operator=(const ParallelFor&) = delete;

  void Run(std::size_t count, const std::function<void(std::size_t)>& fn);

  // DefaultExtraThreads is one less than the hardware threads, at most 3.
  static std::size_t DefaultExtraThreads();

 private:
  void StartWorkers();
  void WorkerLoop();
  void Drain();

  const std::size_t extra_threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t count_ = 0;
  std::size_t next_ = 0;
  std::size_t finished_ = 0;
  std::size_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace amparo
