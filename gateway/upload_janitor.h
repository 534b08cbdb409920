#pragma once
// upload_janitor.h: unfinished uploads expire while the gateway runs, not
// only when it starts. An abandoned upload holds ciphertext that nobody can
// finish; keeping it past the configured days only helps a seizure.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "storage/envelope_store.h"

namespace amparo::gateway {

// kUploadJanitorPeriod is how often the janitor looks: expiry counts whole
// days, so an hour is late by at most an hour.
inline constexpr std::chrono::seconds kUploadJanitorPeriod{3600};

// UploadJanitor runs ExpireUploads(today, max_age_days) on its own thread,
// once at start and then every `period`, until destroyed. The store and the
// clock are borrowed and must outlive it.
class UploadJanitor {
 public:
  // mailbox_retention_days, if not negative, also expires follow-up replies
  // placed longer ago (ExpireReplies).
  UploadJanitor(storage::EnvelopeStore& store, const Clock& clock, std::int64_t max_age_days,
                std::chrono::milliseconds period, std::int64_t mailbox_retention_days = -1);
  ~UploadJanitor();
  UploadJanitor(const UploadJanitor&) = delete;
  UploadJanitor& operator=(const UploadJanitor&) = delete;

  // sweeps counts completed sweeps (tests wait on it).
  std::uint64_t sweeps() const;

 private:
  void Run();

  storage::EnvelopeStore& store_;
  const Clock& clock_;
  const std::int64_t max_age_days_;
  const std::chrono::milliseconds period_;
  const std::int64_t mailbox_retention_days_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t sweeps_ = 0;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace amparo::gateway
