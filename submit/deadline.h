#pragma once
// deadline.h: a point on the monotonic clock by which a network step must end.

#include <chrono>

namespace amparo::submit {

// Deadline is a monotonic time limit; copies are independent values.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // In returns a deadline `duration` from now.
  static Deadline In(std::chrono::milliseconds duration) { return Deadline(Clock::now() + duration); }
  static Deadline InSeconds(int seconds) { return In(std::chrono::seconds(seconds)); }

  // Expired reports whether the deadline has passed.
  bool Expired() const { return Clock::now() >= at_; }

  // PollTimeoutMs returns the milliseconds left, rounded up, for poll(2): 0 once
  // expired, and never more than one day (poll takes an int).
  int PollTimeoutMs() const;

  // Earlier returns whichever of the two deadlines comes first.
  static Deadline Earlier(Deadline a, Deadline b) { return a.at_ < b.at_ ? a : b; }

 private:
  explicit Deadline(Clock::time_point at) : at_(at) {}
  Clock::time_point at_;
};

}  // namespace amparo::submit
