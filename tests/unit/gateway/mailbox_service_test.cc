// mailbox_service_test.cc: the follow-up mailboxes over a real RocksDB
// store. A listing always holds kMailboxSlots ids and has the same size
// whether or not the mailbox exists; fillers are stable and lead nowhere;
// real ids fetch the exact sealed bytes; another token's replies are out of
// reach; malformed bodies get 400; the rate holds at N and refuses N + 1,
// per mailbox, and starts again each hour.

#include "gateway/mailbox_service.h"

#include <gtest/gtest.h>

#include <set>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/api.pb.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::gateway {
namespace {

using storage::test::kToday;

std::array<std::uint8_t, 32> TokenOf(std::uint8_t n) {
  std::array<std::uint8_t, 32> token{};
  token.fill(n);
  return token;
}

std::vector<std::uint8_t> ListBody(const std::array<std::uint8_t, 32>& token) {
  v1::MailboxRequest request;
  request.set_token(token.data(), token.size());
  const std::string bytes = request.SerializeAsString();
  return {bytes.begin(), bytes.end()};
}

std::vector<std::uint8_t> FetchBody(const std::array<std::uint8_t, 32>& token, const std::string& id) {
  v1::MailboxFetchRequest request;
  request.set_token(token.data(), token.size());
  request.set_reply_id(id);
  const std::string bytes = request.SerializeAsString();
  return {bytes.begin(), bytes.end()};
}

class MailboxServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::test::OpenOrDie(dir_.path());
    secret_.data()[0] = 0x42;
  }

  MailboxService Service() {
    crypto::SecretBytes<crypto::kMailboxSecretSize> copy;
    std::copy(secret_.span().begin(), secret_.span().end(), copy.data());
    return MailboxService(*store_, std::move(copy), limiter_);
  }

  storage::MailboxKey KeyOf(const std::array<std::uint8_t, 32>& token) {
    return crypto::MailboxKeyFor(secret_, crypto::MailboxIdForToken(token));
  }

  std::vector<std::string> Ids(const HttpResponse& response) {
    v1::MailboxListing listing;
    EXPECT_TRUE(listing.ParseFromArray(response.body.data(), static_cast<int>(response.body.size())));
    return {listing.reply_ids().begin(), listing.reply_ids().end()};
  }

  amparo::test::TempDir dir_;
  std::unique_ptr<storage::EnvelopeStore> store_;
  crypto::SecretBytes<crypto::kMailboxSecretSize> secret_;
  std::int64_t hour_ = 1000;
  MailboxRateLimiter limiter_{limits::kMaxMailboxRequestsPerHour, [this] { return hour_; }};
};

TEST_F(MailboxServiceTest, AListingHasTheSameSizeWhetherOrNotTheMailboxExists) {
  storage::StoredReply reply{KeyOf(TokenOf(1)), storage::test::NumberedId<storage::ReplyId>(0x3e, 1),
                             std::vector<std::uint8_t>(500, 9)};
  ASSERT_TRUE(store_->PlaceReplies(1, std::span(&reply, 1), kToday).ok());
  MailboxService service = Service();
  const HttpResponse full = service.List(ListBody(TokenOf(1)));
  const HttpResponse empty = service.List(ListBody(TokenOf(2)));
  ASSERT_EQ(full.status, 200u);
  ASSERT_EQ(empty.status, 200u);
  EXPECT_EQ(full.body.size(), empty.body.size());
  const auto ids = Ids(full);
  ASSERT_EQ(ids.size(), limits::kMailboxSlots);
  EXPECT_EQ(ids[0], std::string(AsText(reply.id.bytes())));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), limits::kMailboxSlots);
  // Fillers are stable for a token, and lead nowhere.
  EXPECT_EQ(Ids(service.List(ListBody(TokenOf(2)))), Ids(empty));
  EXPECT_NE(Ids(empty), Ids(service.List(ListBody(TokenOf(3)))));
  EXPECT_EQ(service.Fetch(FetchBody(TokenOf(1), ids[1])).status, 404u);
  EXPECT_EQ(service.Fetch(FetchBody(TokenOf(2), Ids(empty)[0])).status, 404u);
}

TEST_F(MailboxServiceTest, ARealIdFetchesTheExactBytesForItsTokenOnly) {
  storage::StoredReply reply{KeyOf(TokenOf(1)), storage::test::NumberedId<storage::ReplyId>(0x3e, 7),
                             std::vector<std::uint8_t>(4096, 3)};
  ASSERT_TRUE(store_->PlaceReplies(1, std::span(&reply, 1), kToday).ok());
  MailboxService service = Service();
  const std::string id(AsText(reply.id.bytes()));
  const HttpResponse fetched = service.Fetch(FetchBody(TokenOf(1), id));
  ASSERT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.content_type, "application/octet-stream");
  EXPECT_EQ(fetched.body, reply.sealed);
  EXPECT_EQ(service.Fetch(FetchBody(TokenOf(2), id)).status, 404u);  // another token's mailbox
}

TEST_F(MailboxServiceTest, MalformedBodiesAreRefused) {
  MailboxService service = Service();
  const std::vector<std::uint8_t> garbage = {0xff, 0xff};
  EXPECT_EQ(service.List(garbage).status, 400u);
  v1::MailboxRequest short_token;
  short_token.set_token(std::string(31, 'x'));
  const std::string bytes = short_token.SerializeAsString();
  EXPECT_EQ(service.List(std::vector<std::uint8_t>(bytes.begin(), bytes.end())).status, 400u);
  EXPECT_EQ(service.Fetch(FetchBody(TokenOf(1), std::string(15, 'x'))).status, 400u);
  std::vector<std::uint8_t> unknown = ListBody(TokenOf(1));
  unknown.insert(unknown.end(), {0x78, 0x01});
  EXPECT_EQ(service.List(unknown).status, 400u);
  EXPECT_EQ(service.List(std::vector<std::uint8_t>(limits::kMaxMailboxRequestBytes + 1, 0)).status, 400u);
}

TEST(MailboxRateLimiterTest, NRequestsPassNPlusOneIsRefusedPerMailboxAndHour) {
  std::int64_t hour = 5;
  MailboxRateLimiter limiter(3, [&] { return hour; });
  storage::MailboxKey a{};
  storage::MailboxKey b{};
  b[0] = 1;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow(a)) << i;
  EXPECT_FALSE(limiter.Allow(a));
  EXPECT_TRUE(limiter.Allow(b));  // another mailbox has its own count
  hour = 6;
  EXPECT_TRUE(limiter.Allow(a));  // a new hour
}

TEST(MailboxRateLimiterTest, TheConfiguredRateIsClampedToItsCeiling) {
  MailboxRateLimiter limiter(limits::kMaxMailboxRequestsPerHour + 100, [] { return std::int64_t{1}; });
  storage::MailboxKey key{};
  for (int i = 0; i < limits::kMaxMailboxRequestsPerHour; ++i) ASSERT_TRUE(limiter.Allow(key));
  EXPECT_FALSE(limiter.Allow(key));
}

TEST_F(MailboxServiceTest, TheRateLimitAnswers429) {
  std::int64_t hour = 1;
  MailboxRateLimiter tight(2, [&] { return hour; });
  crypto::SecretBytes<crypto::kMailboxSecretSize> copy;
  MailboxService service(*store_, std::move(copy), tight);
  EXPECT_EQ(service.List(ListBody(TokenOf(1))).status, 200u);
  EXPECT_EQ(service.Fetch(FetchBody(TokenOf(1), std::string(16, 'x'))).status, 404u);
  const HttpResponse limited = service.List(ListBody(TokenOf(1)));
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(service.List(ListBody(TokenOf(2))).status, 200u);
}

}  // namespace
}  // namespace amparo::gateway
