#pragma once
// mailbox_rate_limiter.h: at most N mailbox requests per hour for each
// mailbox key (proto/FOLLOWUP.md section 3.1). It counts keys, never
// clients: no address or connection is seen here. Counts live in memory
// only and start again each hour; at most kMaxTrackedMailboxes keys are
// counted at once, and past that the counts of the hour start again, which
// a flood of fresh keys can force (the bound is memory, the goal is load).

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "storage/envelope_store.h"

namespace amparo::gateway {

class MailboxRateLimiter {
 public:
  // HourClock returns the current hour (any monotonic count of hours).
  using HourClock = std::function<std::int64_t()>;

  // MailboxRateLimiter allows `per_hour` requests per key and hour
  // (1..kMaxMailboxRequestsPerHour, clamped).
  MailboxRateLimiter(int per_hour, HourClock now);

  // Allow counts a request for `key` and reports whether it is within the
  // limit. Safe from any thread.
  bool Allow(const storage::MailboxKey& key);

 private:
  struct KeyHash {
    std::size_t operator()(const storage::MailboxKey& key) const;
  };

  const int per_hour_;
  const HourClock now_;
  std::mutex mutex_;
  std::int64_t hour_ = 0;                                              // guarded by mutex_
  std::unordered_map<storage::MailboxKey, int, KeyHash> counts_;       // guarded by mutex_
};

// SystemHourClock counts hours on the steady clock.
std::int64_t SystemHourClock();

}  // namespace amparo::gateway
