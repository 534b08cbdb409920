#pragma once
// body_budget.h: a ceiling on the request bodies all connections may hold in
// memory at once. Each route bounds one body; without a shared ceiling, a
// flood of connections each sending most of a large body would still add up
// to the cap times the largest route limit.

#include <atomic>
#include <cstddef>

#include "common/limits.h"

namespace amparo::gateway {

class BodyBudget {
 public:
  explicit BodyBudget(std::size_t capacity = limits::kMaxBufferedBodyBytes) : capacity_(capacity) {}

  // TryReserve takes bytes from the budget; false (and nothing taken) if
  // that would pass the capacity.
  bool TryReserve(std::size_t bytes) {
    std::size_t current = reserved_.load();
    do {
      if (bytes > capacity_ - current) return false;
    } while (!reserved_.compare_exchange_weak(current, current + bytes));
    return true;
  }

  // Release gives back what TryReserve took.
  void Release(std::size_t bytes) { reserved_.fetch_sub(bytes); }

  std::size_t reserved() const { return reserved_.load(); }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> reserved_{0};
};

}  // namespace amparo::gateway
