#include "common/clock.h"

#include <chrono>

namespace amparo {

Day SystemClock::Today() const {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
}

}  // namespace amparo
