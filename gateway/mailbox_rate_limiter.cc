#include "gateway/mailbox_rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/limits.h"

namespace amparo::gateway {

std::size_t MailboxRateLimiter::KeyHash::operator()(const storage::MailboxKey& key) const {
  // Keys are HMAC outputs: their first bytes are already uniform.
  std::size_t hash = 0;
  std::memcpy(&hash, key.data(), sizeof hash);
  return hash;
}

MailboxRateLimiter::MailboxRateLimiter(int per_hour, HourClock now)
    : per_hour_(std::clamp(per_hour, 1, limits::kMaxMailboxRequestsPerHour)), now_(std::move(now)) {}

bool MailboxRateLimiter::Allow(const storage::MailboxKey& key) {
  const std::int64_t hour = now_();
  std::lock_guard lock(mutex_);
  if (hour != hour_ || (counts_.size() >= limits::kMaxTrackedMailboxes && !counts_.contains(key))) {
    counts_.clear();
    hour_ = hour;
  }
  int& count = counts_[key];
  if (count >= per_hour_) return false;
  ++count;
  return true;
}

std::int64_t SystemHourClock() {
  return std::chrono::duration_cast<std::chrono::hours>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace amparo::gateway
