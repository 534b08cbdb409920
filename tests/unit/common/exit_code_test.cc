// exit_code_test.cc: each failure class has its own exit code, so that a
// script can tell a parse bug from a MAC failure; caller mistakes share the
// usage code; no failure exits with success.

#include "common/exit_code.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <set>

namespace amparo {
namespace {

TEST(ExitCodeTest, EachFailureClassHasItsDocumentedCode) {
  const std::map<Error, int> expected = {
      {Error::kArmor, kExitArmor},     {Error::kHeader, kExitHeader},
      {Error::kNoMatch, kExitNoMatch}, {Error::kHmac, kExitHmac},
      {Error::kPayload, kExitPayload}, {Error::kInvalidKey, kExitInvalidKey},
      {Error::kIo, kExitIo},
  };
  for (const auto& [error, code] : expected) {
    EXPECT_EQ(ExitCodeFor(error), code) << ErrorName(error);
  }
}

TEST(ExitCodeTest, FailureClassesMapToDistinctCodes) {
  const Error classes[] = {Error::kArmor,   Error::kHeader,     Error::kNoMatch, Error::kHmac,
                           Error::kPayload, Error::kInvalidKey, Error::kIo};
  std::set<int> codes;
  for (Error error : classes) codes.insert(ExitCodeFor(error));
  EXPECT_EQ(codes.size(), std::size(classes));
  EXPECT_EQ(codes.count(kExitUsage), 0u);
}

TEST(ExitCodeTest, RefusalsSignaturesAndUnavailabilityHaveTheirOwnCodes) {
  for (Error error : {Error::kMalformedEnvelope, Error::kUnsupportedFormatVersion,
                      Error::kStaleKeyBundle, Error::kPaddedLengthNotBucket,
                      Error::kLengthMismatch, Error::kKeyBundleRollback, Error::kNotFound,
                      Error::kConflict, Error::kMalformedTransfer, Error::kRefused}) {
    EXPECT_EQ(ExitCodeFor(error), kExitRejected);
  }
  EXPECT_EQ(ExitCodeFor(Error::kBadPassphrase), kExitBadPassphrase);
  EXPECT_EQ(ExitCodeFor(Error::kBadSignature), kExitBadSignature);
  EXPECT_EQ(ExitCodeFor(Error::kUnavailable), kExitUnavailable);
}

TEST(ExitCodeTest, CallerMistakesMapToUsage) {
  EXPECT_EQ(ExitCodeFor(Error::kInvalidArgument), kExitUsage);
  EXPECT_EQ(ExitCodeFor(Error::kLimitExceeded), kExitUsage);
}

TEST(ExitCodeTest, NoFailureExitsWithSuccess) {
  for (Error error : {Error::kArmor, Error::kHeader, Error::kNoMatch, Error::kHmac,
                      Error::kPayload, Error::kInvalidKey, Error::kInvalidArgument,
                      Error::kLimitExceeded, Error::kIo}) {
    EXPECT_NE(ExitCodeFor(error), kExitSuccess) << ErrorName(error);
  }
}

}  // namespace
}  // namespace amparo
