#pragma once
// clock.h: the injected source of time. Amparo records days, never times of
// day: a seized store or log must not date a submission to the second.

#include <cstdint>
#include <string>

namespace amparo {

// Day counts days since 1970-01-01 UTC.
using Day = std::int64_t;

// Clock tells the current day.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Day Today() const = 0;
};

// SystemClock reads the system's UTC clock.
class SystemClock final : public Clock {
 public:
  Day Today() const override;
};

// FormatDay renders a day as YYYY-MM-DD.
std::string FormatDay(Day day);

}  // namespace amparo
