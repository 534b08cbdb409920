// mock_envelope_store_test.cc: the storage test double builds and can stand
// in for the store, so that layers above storage can test their error paths.

#include "tests/support/mock_envelope_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace amparo::storage {
namespace {

using ::testing::_;
using ::testing::Return;

TEST(MockEnvelopeStoreTest, StandsInForTheStore) {
  amparo::test::MockEnvelopeStore mock;
  EXPECT_CALL(mock, PutEnvelope(_, _, _)).WillOnce(Return(Status(Error::kUnavailable)));
  EXPECT_CALL(mock, DescribeUpload(_)).WillOnce(Return(Result<UploadInfo>(UploadInfo{5, 9, 1})));
  EnvelopeStore& store = mock;
  const std::vector<std::uint8_t> bytes(3, 1);
  EXPECT_EQ(store.PutEnvelope(EnvelopeId(), bytes, 0).error(), Error::kUnavailable);
  EXPECT_EQ(store.UploadOffset(UploadId()).value(), 5u);
}

}  // namespace
}  // namespace amparo::storage
