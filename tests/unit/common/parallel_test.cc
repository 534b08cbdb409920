// parallel_test.cc: ParallelFor runs every index exactly once, returns only
// after all of them, and reuses its workers across runs.

#include "common/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace amparo {
namespace {

void ExpectEachIndexRunsOnce(ParallelFor& parallel, std::size_t count) {
  std::vector<std::atomic<int>> runs(count);
  parallel.Run(count, [&](std::size_t i) { runs[i].fetch_add(1); });
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(runs[i].load(), 1) << "index " << i << " of " << count;
  }
}

TEST(ParallelForTest, EveryIndexRunsExactlyOnce) {
  ParallelFor parallel(3);
  for (std::size_t count : {0u, 1u, 2u, 17u, 1000u}) ExpectEachIndexRunsOnce(parallel, count);
}

TEST(ParallelForTest, EveryIndexRunsExactlyOnceWithoutWorkers) {
  ParallelFor parallel(0);
  for (std::size_t count : {0u, 1u, 2u, 17u, 1000u}) ExpectEachIndexRunsOnce(parallel, count);
}

TEST(ParallelForTest, ZeroCountNeverCallsFunction) {
  ParallelFor parallel(2);
  int calls = 0;
  parallel.Run(0, [&](std::size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelForTest, ResultsWrittenWithoutSynchronisationAreVisibleAfterRun) {
  ParallelFor parallel(3);
  std::vector<std::size_t> squares(1000, 0);
  parallel.Run(squares.size(), [&](std::size_t i) { squares[i] = i * i; });
  for (std::size_t i = 0; i < squares.size(); ++i) ASSERT_EQ(squares[i], i * i);
}

TEST(ParallelForTest, RunReturnsOnlyAfterSlowItemsFinish) {
  ParallelFor parallel(3);
  std::atomic<int> finished{0};
  parallel.Run(8, [&](std::size_t i) {
    if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    finished.fetch_add(1);
  });
  EXPECT_EQ(finished.load(), 8);
}

TEST(ParallelForTest, RepeatedRunsReuseTheSameThreads) {
  // A thread-local marker is fresh in every newly started thread, even when
  // the system recycles thread ids.
  static std::atomic<int> next_token{0};
  const int token = ++next_token;
  thread_local int seen_token = 0;
  std::atomic<int> fresh_threads{0};
  ParallelFor parallel(2);
  for (int run = 0; run < 50; ++run) {
    parallel.Run(64, [&](std::size_t) {
      if (seen_token != token) {
        seen_token = token;
        fresh_threads.fetch_add(1);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    });
  }
  EXPECT_GE(fresh_threads.load(), 2);
  EXPECT_LE(fresh_threads.load(), 3);
}

TEST(ParallelForTest, WithoutWorkersRunsOnCallingThread) {
  ParallelFor parallel(0);
  std::set<std::thread::id> threads;
  parallel.Run(100, [&](std::size_t) { threads.insert(std::this_thread::get_id()); });
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(ParallelForTest, DefaultExtraThreadsIsAtMostThree) {
  EXPECT_LE(ParallelFor::DefaultExtraThreads(), 3u);
  const unsigned hardware = std::thread::hardware_concurrency();
  if (hardware >= 2) {
    EXPECT_EQ(ParallelFor::DefaultExtraThreads(), std::min(hardware - 1, 3u));
  }
}

}  // namespace
}  // namespace amparo
