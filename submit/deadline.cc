#include "submit/deadline.h"

namespace amparo::submit {

int Deadline::PollTimeoutMs() const {
  const auto now = Clock::now();
  if (now >= at_) return 0;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - now).count();
  constexpr long long kOneDayMs = 24LL * 3600 * 1000;
  return static_cast<int>(left < kOneDayMs ? left : kOneDayMs);
}

}  // namespace amparo::submit
