// rocksdb_store_mailbox_test.cc: follow-up mailboxes in a real RocksDB:
// replies are placed, listed newest first and read back exactly; placing
// twice changes nothing; a mailbox keeps its newest kMailboxSlots replies;
// an older batch is refused and changes nothing; replies expire by day; the
// limits hold at N and N + 1; and everything survives reopening.

#include <gtest/gtest.h>

#include <vector>

#include "common/limits.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage {
namespace {

using test::kToday;

MailboxKey MailboxNumber(std::uint8_t n) {
  MailboxKey key{};
  key[0] = n;
  key[31] = 0x5a;
  return key;
}

ReplyId ReplyNumber(std::uint64_t n) { return test::NumberedId<ReplyId>(0x3e, n); }

StoredReply ReplyOf(std::uint8_t mailbox, std::uint64_t n, std::size_t size = 100) {
  return StoredReply{MailboxNumber(mailbox), ReplyNumber(n),
                     std::vector<std::uint8_t>(size, static_cast<std::uint8_t>(n))};
}

class MailboxStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = test::OpenOrDie(dir_.path()); }
  void Reopen() {
    store_.reset();
    store_ = test::OpenOrDie(dir_.path());
  }

  amparo::test::TempDir dir_;
  std::unique_ptr<EnvelopeStore> store_;
};

TEST_F(MailboxStoreTest, RepliesArePlacedListedNewestFirstAndReadExactly) {
  const std::vector<StoredReply> first = {ReplyOf(1, 1), ReplyOf(2, 2, 5000)};
  auto placed = store_->PlaceReplies(1, first, kToday);
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(placed.value(), 2u);
  const std::vector<StoredReply> second = {ReplyOf(1, 3, 6 * 1024 * 1024 / 2)};
  ASSERT_TRUE(store_->PlaceReplies(2, second, kToday + 1).ok());
  Reopen();
  auto listed = store_->ListReplies(MailboxNumber(1));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value().size(), 2u);
  EXPECT_EQ(listed.value()[0].id, ReplyNumber(3));
  EXPECT_EQ(listed.value()[0].day, kToday + 1);
  EXPECT_EQ(listed.value()[1].id, ReplyNumber(1));
  EXPECT_EQ(listed.value()[1].size, 100u);
  auto read = store_->ReadReply(MailboxNumber(1), ReplyNumber(3));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), second[0].sealed);
  EXPECT_EQ(store_->ReadReply(MailboxNumber(2), ReplyNumber(3)).error(), Error::kNotFound);
  auto none = store_->ListReplies(MailboxNumber(9));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());
}

TEST_F(MailboxStoreTest, PlacingTwiceChangesNothingAndAnOlderBatchIsRefused) {
  const std::vector<StoredReply> replies = {ReplyOf(1, 1), ReplyOf(1, 2)};
  ASSERT_EQ(store_->PlaceReplies(4, replies, kToday).value(), 2u);
  EXPECT_EQ(store_->PlaceReplies(4, replies, kToday + 3).value(), 0u);
  EXPECT_EQ(store_->ListReplies(MailboxNumber(1)).value()[0].day, kToday);
  const std::vector<StoredReply> old = {ReplyOf(1, 9)};
  EXPECT_EQ(store_->PlaceReplies(3, old, kToday).error(), Error::kConflict);
  EXPECT_EQ(store_->ListReplies(MailboxNumber(1)).value().size(), 2u);
}

TEST_F(MailboxStoreTest, AMailboxKeepsItsNewestSlotsReplies) {
  for (std::uint64_t n = 1; n <= limits::kMailboxSlots + 3; ++n) {
    const std::vector<StoredReply> one = {ReplyOf(1, n)};
    ASSERT_TRUE(store_->PlaceReplies(1, one, kToday).ok()) << n;
  }
  const std::vector<StoredReply> other = {ReplyOf(2, 100)};
  ASSERT_TRUE(store_->PlaceReplies(1, other, kToday).ok());
  auto listed = store_->ListReplies(MailboxNumber(1));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value().size(), limits::kMailboxSlots);
  EXPECT_EQ(listed.value().front().id, ReplyNumber(limits::kMailboxSlots + 3));
  EXPECT_EQ(listed.value().back().id, ReplyNumber(4));
  EXPECT_EQ(store_->ReadReply(MailboxNumber(1), ReplyNumber(3)).error(), Error::kNotFound);
  EXPECT_EQ(store_->ListReplies(MailboxNumber(2)).value().size(), 1u);
}

TEST_F(MailboxStoreTest, RepliesExpireByTheDayTheyWerePlaced) {
  const std::vector<StoredReply> early = {ReplyOf(1, 1)};
  const std::vector<StoredReply> late = {ReplyOf(1, 2)};
  ASSERT_TRUE(store_->PlaceReplies(1, early, kToday).ok());
  ASSERT_TRUE(store_->PlaceReplies(1, late, kToday + 10).ok());
  EXPECT_EQ(store_->ExpireReplies(kToday + 180, 180).value(), 0u);
  EXPECT_EQ(store_->ExpireReplies(kToday + 181, 180).value(), 1u);
  auto listed = store_->ListReplies(MailboxNumber(1));
  ASSERT_EQ(listed.value().size(), 1u);
  EXPECT_EQ(listed.value()[0].id, ReplyNumber(2));
  EXPECT_EQ(store_->ReadReply(MailboxNumber(1), ReplyNumber(1)).error(), Error::kNotFound);
  EXPECT_EQ(store_->ExpireReplies(kToday, -1).error(), Error::kInvalidArgument);
}

TEST_F(MailboxStoreTest, LimitsAtNAndNPlusOne) {
  std::vector<StoredReply> many;
  for (std::size_t i = 0; i < limits::kMaxRepliesPerFile; ++i) many.push_back(ReplyOf(static_cast<std::uint8_t>(i), i + 1, 1));
  EXPECT_TRUE(store_->PlaceReplies(1, many, kToday).ok());
  many.push_back(ReplyOf(7, 9999, 1));
  EXPECT_EQ(store_->PlaceReplies(1, many, kToday).error(), Error::kLimitExceeded);
  const std::vector<StoredReply> at = {ReplyOf(3, 5000, limits::kMaxSealedReplyBytes)};
  EXPECT_TRUE(store_->PlaceReplies(1, at, kToday).ok());
  const std::vector<StoredReply> over = {ReplyOf(3, 5001, limits::kMaxSealedReplyBytes + 1)};
  EXPECT_EQ(store_->PlaceReplies(1, over, kToday).error(), Error::kLimitExceeded);
  const std::vector<StoredReply> empty = {ReplyOf(3, 5002, 0)};
  EXPECT_EQ(store_->PlaceReplies(1, empty, kToday).error(), Error::kInvalidArgument);
  EXPECT_EQ(store_->PlaceReplies(0, at, kToday).error(), Error::kInvalidArgument);
}

}  // namespace
}  // namespace amparo::storage
