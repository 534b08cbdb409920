// error_test.cc: every error has a distinct, fixed, printable name.

#include "common/error.h"

#include <gtest/gtest.h>

#include <iterator>
#include <set>
#include <string>

namespace amparo {
namespace {

constexpr Error kAllErrors[] = {
    Error::kArmor,           Error::kHeader,           Error::kNoMatch,
    Error::kHmac,            Error::kPayload,          Error::kInvalidKey,
    Error::kInvalidArgument, Error::kLimitExceeded,    Error::kIo,
    Error::kMalformedEnvelope, Error::kUnsupportedFormatVersion, Error::kStaleKeyBundle,
    Error::kPaddedLengthNotBucket, Error::kLengthMismatch, Error::kBadSignature,
    Error::kKeyBundleRollback, Error::kNotFound,       Error::kConflict,
    Error::kUnavailable,     Error::kMalformedTransfer, Error::kBadPassphrase,
    Error::kRefused,         Error::kRateLimited};

TEST(ErrorNameTest, NamesAreDistinctAndNonEmpty) {
  std::set<std::string_view> names;
  for (Error error : kAllErrors) {
    EXPECT_FALSE(ErrorName(error).empty());
    names.insert(ErrorName(error));
  }
  EXPECT_EQ(names.size(), std::size(kAllErrors));
}

TEST(ErrorNameTest, NamesArePrintableAscii) {
  for (Error error : kAllErrors) {
    for (char c : ErrorName(error)) {
      EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << static_cast<int>(error);
    }
  }
}

TEST(ErrorNameTest, CctvClassesAreNamedAfterThem) {
  EXPECT_NE(ErrorName(Error::kHmac).find("HMAC"), std::string_view::npos);
  EXPECT_NE(ErrorName(Error::kHeader).find("header"), std::string_view::npos);
  EXPECT_NE(ErrorName(Error::kPayload).find("payload"), std::string_view::npos);
  EXPECT_NE(ErrorName(Error::kArmor).find("armor"), std::string_view::npos);
  EXPECT_NE(ErrorName(Error::kNoMatch).find("no match"), std::string_view::npos);
}

}  // namespace
}  // namespace amparo
