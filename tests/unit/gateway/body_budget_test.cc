// The shared body budget: reservations up to the capacity, exactly.
#include "gateway/body_budget.h"

#include <gtest/gtest.h>

#include "common/limits.h"

namespace amparo::gateway {
namespace {

TEST(BodyBudget, TakesExactlyItsCapacityAndNotOneByteMore) {
  BodyBudget budget;
  EXPECT_TRUE(budget.TryReserve(limits::kMaxBufferedBodyBytes));
  EXPECT_FALSE(budget.TryReserve(1));
  budget.Release(limits::kMaxBufferedBodyBytes);
  EXPECT_EQ(budget.reserved(), 0u);
  EXPECT_FALSE(budget.TryReserve(limits::kMaxBufferedBodyBytes + 1));
  EXPECT_EQ(budget.reserved(), 0u);  // a refusal takes nothing
}

TEST(BodyBudget, ReleasedBytesCanBeTakenAgain) {
  BodyBudget budget(10);
  EXPECT_TRUE(budget.TryReserve(6));
  EXPECT_FALSE(budget.TryReserve(5));
  EXPECT_TRUE(budget.TryReserve(4));
  budget.Release(6);
  EXPECT_TRUE(budget.TryReserve(6));
  EXPECT_EQ(budget.reserved(), 10u);
}

}  // namespace
}  // namespace amparo::gateway
