// result_test.cc: Result and Status carry exactly one of value or error,
// reading the wrong one aborts, and AMPARO_RETURN_IF_ERROR stops at the first
// failure.

#include "common/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace amparo {
namespace {

TEST(ResultTest, HoldsValue) {
  Result<std::string> result(std::string("key"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "key");
}

TEST(ResultTest, HoldsError) {
  Result<std::string> result(Error::kHmac);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kHmac);
}

TEST(ResultTest, MovesOutMoveOnlyValue) {
  Result<std::unique_ptr<int>> result(std::make_unique<int>(7));
  std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);
}

TEST(ResultTest, ValueIsMutableInPlace) {
  Result<int> result(1);
  result.value() = 5;
  EXPECT_EQ(result.value(), 5);
}

TEST(ResultDeathTest, ReadingValueOfErrorAborts) {
  const Result<int> result(Error::kHeader);
  EXPECT_DEATH((void)result.value(), "");
}

TEST(ResultDeathTest, ReadingErrorOfValueAborts) {
  const Result<int> result(3);
  EXPECT_DEATH((void)result.error(), "");
}

TEST(StatusTest, DefaultIsSuccess) {
  EXPECT_TRUE(Status().ok());
  EXPECT_TRUE(OkStatus().ok());
}

TEST(StatusTest, HoldsError) {
  const Status status(Error::kPayload);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kPayload);
}

TEST(StatusDeathTest, ReadingErrorOfSuccessAborts) {
  const Status status;
  EXPECT_DEATH((void)status.error(), "");
}

Status FailsThenCounts(Status first, int* reached) {
  AMPARO_RETURN_IF_ERROR(first);
  ++*reached;
  return OkStatus();
}

Result<int> PassesResultThrough(Result<int> first, int* reached) {
  AMPARO_RETURN_IF_ERROR(first);
  ++*reached;
  return first.value() + 1;
}

TEST(ReturnIfErrorTest, ReturnsErrorOfFailedStatusWithoutContinuing) {
  int reached = 0;
  const Status status = FailsThenCounts(Error::kIo, &reached);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
  EXPECT_EQ(reached, 0);
}

TEST(ReturnIfErrorTest, ContinuesAfterSuccess) {
  int reached = 0;
  EXPECT_TRUE(FailsThenCounts(OkStatus(), &reached).ok());
  EXPECT_EQ(reached, 1);
}

TEST(ReturnIfErrorTest, ReturnsErrorOfFailedResult) {
  int reached = 0;
  const auto result = PassesResultThrough(Error::kArmor, &reached);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kArmor);
  EXPECT_EQ(reached, 0);
  const auto passed = PassesResultThrough(41, &reached);
  ASSERT_TRUE(passed.ok());
  EXPECT_EQ(passed.value(), 42);
  EXPECT_EQ(reached, 1);
}

}  // namespace
}  // namespace amparo
