// upload_janitor_test.cc: the janitor expires unfinished uploads on a timer,
// using the injected clock, and leaves young uploads alone.

#include "gateway/upload_janitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "storage/rocksdb_store.h"
#include "tests/support/temp_dir.h"

namespace amparo::gateway {
namespace {

class SettableClock final : public Clock {
 public:
  explicit SettableClock(Day day) : day_(day) {}
  Day Today() const override { return day_.load(); }
  void Set(Day day) { day_.store(day); }

 private:
  std::atomic<Day> day_;
};

storage::UploadId Upload(std::uint8_t n) {
  storage::UploadId::Bytes bytes{};
  bytes[0] = n;
  return storage::UploadId(bytes);
}

// WaitForSweepCount waits until the janitor has swept `target` times in all.
void WaitForSweepCount(const UploadJanitor& janitor, std::uint64_t target) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (janitor.sweeps() < target && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_GE(janitor.sweeps(), target) << "the janitor did not sweep";
}

// WaitForSweeps waits until the janitor has swept `n` more times.
void WaitForSweeps(const UploadJanitor& janitor, std::uint64_t n) {
  WaitForSweepCount(janitor, janitor.sweeps() + n);
}

TEST(UploadJanitorTest, ExpiresOldUploadsOnItsTimerAndKeepsYoungOnes) {
  amparo::test::TempDir dir;
  auto opened = storage::OpenRocksDbStore(dir.path() / "data", {});
  ASSERT_TRUE(opened.ok());
  storage::EnvelopeStore& store = *opened.value();
  constexpr Day kStart = 20000;
  constexpr std::int64_t kMaxAgeDays = 7;
  const std::vector<std::uint8_t> head(100, 0x5a);
  ASSERT_TRUE(store.CreateUpload(Upload(1), 1000, head, kStart).ok());
  ASSERT_TRUE(store.CreateUpload(Upload(2), 1000, head, kStart + 3).ok());

  SettableClock clock(kStart + kMaxAgeDays);
  UploadJanitor janitor(store, clock, kMaxAgeDays, std::chrono::milliseconds(5));
  WaitForSweeps(janitor, 2);
  // Exactly the maximum age: both kept.
  EXPECT_TRUE(store.DescribeUpload(Upload(1)).ok());
  EXPECT_TRUE(store.DescribeUpload(Upload(2)).ok());

  clock.Set(kStart + kMaxAgeDays + 1);  // one day more: the first one goes
  WaitForSweeps(janitor, 2);
  const auto gone = store.DescribeUpload(Upload(1));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error(), Error::kNotFound);
  EXPECT_TRUE(store.DescribeUpload(Upload(2)).ok());
  EXPECT_EQ(store.Stats().value().open_uploads, 1u);
}

TEST(UploadJanitorTest, StopsPromptlyWhateverItsPeriod) {
  amparo::test::TempDir dir;
  auto opened = storage::OpenRocksDbStore(dir.path() / "data", {});
  ASSERT_TRUE(opened.ok());
  SettableClock clock(20000);
  const auto started = std::chrono::steady_clock::now();
  {
    UploadJanitor janitor(*opened.value(), clock, 7, kUploadJanitorPeriod);
    // The sweep at start, counted from zero: it may be over before we look,
    // and the next one is an hour away.
    WaitForSweepCount(janitor, 1);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace amparo::gateway
