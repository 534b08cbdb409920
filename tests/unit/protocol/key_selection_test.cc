// key_selection_test.cc: the rule of ENVELOPE.md section 9.5: one key per
// body, valid today and not revoked, the latest valid_from_day, ties to the
// bytewise smallest key_id; 8 bodies at most.

#include "protocol/key_selection.h"

#include <gtest/gtest.h>

#include "tests/unit/protocol/protocol_test_support.h"

namespace amparo::protocol {
namespace {

using test::AsVerified;
using test::kToday;

RecipientKeyEntry Key(std::string id, std::string body, std::int64_t from, std::int64_t until,
                      std::uint64_t seed) {
  RecipientKeyEntry key;
  key.key_id = std::move(id);
  key.body = std::move(body);
  key.label = "label";
  key.public_key = test::IdentityFor(seed).PublicKey();
  key.valid_from_day = from;
  key.valid_until_day = until;
  return key;
}

VerifiedKeyBundle Bundle(std::vector<RecipientKeyEntry> keys,
                         std::vector<std::string> revoked = {}) {
  KeyBundleContent content = test::TestContent();
  content.keys = std::move(keys);
  content.revoked_key_ids = std::move(revoked);
  return AsVerified(content);
}

std::string Selected(const VerifiedKeyBundle& bundle, std::string_view body,
                     std::int64_t today = kToday) {
  auto key = SelectKeyForBody(bundle, body, today);
  return key ? key->key_id : "(none)";
}

TEST(KeySelectionTest, LatestValidFromWins) {
  const auto bundle = Bundle({Key("old", "CAT", kToday - 100, kToday + 100, 1),
                              Key("new", "CAT", kToday - 10, kToday + 100, 2),
                              Key("future", "CAT", kToday + 1, kToday + 100, 3)});
  EXPECT_EQ(Selected(bundle, "CAT"), "new");
  EXPECT_EQ(Selected(bundle, "CAT", kToday + 1), "future");
  EXPECT_EQ(Selected(bundle, "CAT", kToday - 50), "old");
}

TEST(KeySelectionTest, TiesGoToTheBytewiseSmallestId) {
  const auto bundle = Bundle({Key("b", "CAT", kToday, kToday, 1), Key("B", "CAT", kToday, kToday, 2),
                              Key("a", "CAT", kToday, kToday, 3)});
  EXPECT_EQ(Selected(bundle, "CAT"), "B");  // 'B' (0x42) < 'a' (0x61)
}

TEST(KeySelectionTest, ValidityIsInclusiveAtBothEnds) {
  const auto bundle = Bundle({Key("k", "CAT", kToday, kToday + 1, 1)});
  EXPECT_EQ(Selected(bundle, "CAT", kToday - 1), "(none)");
  EXPECT_EQ(Selected(bundle, "CAT", kToday), "k");
  EXPECT_EQ(Selected(bundle, "CAT", kToday + 1), "k");
  EXPECT_EQ(Selected(bundle, "CAT", kToday + 2), "(none)");
}

TEST(KeySelectionTest, RevokedKeysAndOtherBodiesAreSkipped) {
  const auto bundle = Bundle({Key("new", "CAT", kToday, kToday, 1),
                              Key("old", "CAT", kToday - 1, kToday, 2),
                              Key("crc", "CRC", kToday, kToday, 3)},
                             {"new"});
  EXPECT_EQ(Selected(bundle, "CAT"), "old");
  EXPECT_EQ(Selected(bundle, "SPT"), "(none)");
}

TEST(KeySelectionTest, ManyBodiesInOrderUpToEight) {
  const auto bundle = AsVerified(test::TestContent());
  auto eight = SelectKeysForBodies(bundle, test::FirstBodies(8), kToday);
  ASSERT_TRUE(eight.ok());
  ASSERT_EQ(eight.value().size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(eight.value()[i].body, test::BodyCodes()[i]);
  auto nine = SelectKeysForBodies(bundle, test::FirstBodies(9), kToday);
  ASSERT_FALSE(nine.ok());
  EXPECT_EQ(nine.error(), Error::kInvalidArgument);
  auto none = SelectKeysForBodies(bundle, {}, kToday);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error(), Error::kInvalidArgument);
}

TEST(KeySelectionTest, RefusesDuplicatesMissingBodiesAndExpiredBundles) {
  const auto bundle = AsVerified(test::TestContent());
  const std::vector<std::string> twice = {"CAT", "CRC", "CAT"};
  EXPECT_FALSE(SelectKeysForBodies(bundle, twice, kToday).ok());
  const std::vector<std::string> missing = {"CAT", "IACHR"};
  EXPECT_FALSE(SelectKeysForBodies(bundle, missing, kToday).ok());
  const std::vector<std::string> one = {"CAT"};
  EXPECT_TRUE(SelectKeysForBodies(bundle, one, bundle.content.expires_day).ok());
  auto expired = SelectKeysForBodies(bundle, one, bundle.content.expires_day + 1);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error(), kExpiredKeyBundle);
}

}  // namespace
}  // namespace amparo::protocol
