// import_ledger_test.cc: gaps are the assigned sequence numbers no export
// carried, each reported once; the ledger stays small; a huge next_seq from a
// dishonest node costs no more than the numbers actually seen.

#include "reviewer/import_ledger.h"

#include <gtest/gtest.h>

namespace amparo::reviewer {
namespace {

TEST(ImportLedgerTest, ContiguousExportsHaveNoGaps) {
  v1::PinnedNode node;
  EXPECT_TRUE(RecordExport(node, {1, 2, 3}, 4).empty());
  EXPECT_TRUE(RecordExport(node, {4, 5}, 6).empty());
  EXPECT_EQ(node.imported_through_seq(), 5u);
  EXPECT_EQ(node.seen_above_size(), 0);
}

TEST(ImportLedgerTest, MissingNumbersAreReportedOnceAsRanges) {
  v1::PinnedNode node;
  const auto gaps = RecordExport(node, {2, 5, 6, 9}, 11);
  EXPECT_EQ(DescribeRanges(gaps), "1, 3-4, 7-8, 10");
  // The same export again: nothing new is missing.
  EXPECT_TRUE(RecordExport(node, {2, 5, 6, 9}, 11).empty());
  // A later envelope fills nothing in the past and reveals only new gaps.
  EXPECT_EQ(DescribeRanges(RecordExport(node, {13}, 14)), "11-12");
}

TEST(ImportLedgerTest, EmptyExportsAndHugeNextSeqStayCheap) {
  v1::PinnedNode node;
  EXPECT_TRUE(RecordExport(node, {}, 1).empty());
  const auto gaps = RecordExport(node, {}, std::uint64_t{1} << 62);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].first, 1u);
  EXPECT_EQ(gaps[0].last, (std::uint64_t{1} << 62) - 1);
  EXPECT_EQ(node.seen_above_size(), 0);
}

}  // namespace
}  // namespace amparo::reviewer
