// key_bundle_content_test.cc: every bound of key_bundle.proto, each at its
// limit and one past it.

#include "protocol/key_bundle_content.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "common/limits.h"
#include "tests/support/hex.h"
#include "tests/unit/protocol/protocol_test_support.h"

namespace amparo::protocol {
namespace {

using test::TestContent;

bool Valid(const KeyBundleContent& content) { return ValidateKeyBundleContent(content).ok(); }

bool ValidAfter(const std::function<void(KeyBundleContent&)>& change) {
  auto content = TestContent();
  change(content);
  return Valid(content);
}

TEST(KeyBundleContentTest, TheTestBundleIsValid) { EXPECT_TRUE(Valid(TestContent())); }

TEST(KeyBundleContentTest, KeyIdForm) {
  EXPECT_TRUE(IsKeyId("a"));
  EXPECT_TRUE(IsKeyId("CAT-2024.v1_b"));
  EXPECT_TRUE(IsKeyId(std::string(64, 'k')));
  EXPECT_FALSE(IsKeyId(std::string(65, 'k')));
  EXPECT_FALSE(IsKeyId(""));
  EXPECT_FALSE(IsKeyId("a b"));
  EXPECT_FALSE(IsKeyId("a/b"));
  EXPECT_FALSE(IsKeyId("é"));
}

TEST(KeyBundleContentTest, BodyCodeForm) {
  EXPECT_TRUE(IsBodyCode("CAT"));
  EXPECT_TRUE(IsBodyCode("ASG_REPRISALS"));
  EXPECT_TRUE(IsBodyCode("A1"));
  EXPECT_TRUE(IsBodyCode(std::string(32, 'A')));
  EXPECT_FALSE(IsBodyCode(std::string(33, 'A')));
  EXPECT_FALSE(IsBodyCode(""));
  EXPECT_FALSE(IsBodyCode("1CAT"));
  EXPECT_FALSE(IsBodyCode("_CAT"));
  EXPECT_FALSE(IsBodyCode("cat"));
  EXPECT_FALSE(IsBodyCode("CAT-1"));
}

TEST(KeyBundleContentTest, LabelsOfOneTo256BytesOfUtf8) {
  EXPECT_TRUE(ValidAfter([](auto& c) { c.keys[0].label = std::string(256, 'x'); }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].label = std::string(257, 'x'); }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].label = ""; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].label = "Comit\xe9"; }));
  EXPECT_TRUE(ValidAfter([](auto& c) { c.keys[0].label = "Comité"; }));
}

TEST(KeyBundleContentTest, DaysAndTheirOrder) {
  EXPECT_TRUE(ValidAfter([](auto& c) { c.keys[0].valid_until_day = limits::kMaxDay; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].valid_until_day = limits::kMaxDay + 1; }));
  EXPECT_TRUE(ValidAfter([](auto& c) { c.keys[0].valid_from_day = 0; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].valid_from_day = -1; }));
  EXPECT_TRUE(ValidAfter([](auto& c) { c.keys[0].valid_from_day = c.keys[0].valid_until_day; }));
  EXPECT_FALSE(
      ValidAfter([](auto& c) { c.keys[0].valid_from_day = c.keys[0].valid_until_day + 1; }));
  EXPECT_TRUE(ValidAfter([](auto& c) { c.issued_day = c.expires_day; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.issued_day = c.expires_day + 1; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.expires_day = limits::kMaxDay + 1; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.issued_day = -1; }));
}

TEST(KeyBundleContentTest, VersionsAndLowestAccepted) {
  EXPECT_FALSE(ValidAfter([](auto& c) { c.version = 0; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.lowest_accepted_version = 0; }));
  EXPECT_TRUE(ValidAfter([](auto& c) { c.lowest_accepted_version = c.version; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.lowest_accepted_version = c.version + 1; }));
}

TEST(KeyBundleContentTest, KeysAreDistinctAndWellFormed) {
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys.clear(); }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[1].key_id = c.keys[0].key_id; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[1].public_key = c.keys[0].public_key; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].key_id = "bad id"; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].body = "cat"; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].public_key = {}; }));  // small order
  EXPECT_FALSE(ValidAfter([](auto& c) { c.keys[0].public_key.bytes[31] |= 0x80; }));
}

TEST(KeyBundleContentTest, RevokedIds) {
  EXPECT_TRUE(ValidAfter([](auto& c) { c.revoked_key_ids = {"gone-1", "gone-2"}; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.revoked_key_ids = {c.keys[0].key_id}; }));
  EXPECT_FALSE(ValidAfter([](auto& c) { c.revoked_key_ids = {"not an id"}; }));
  EXPECT_TRUE(ValidAfter([](auto& c) {
    c.revoked_key_ids.assign(limits::kMaxRevokedKeyIds, "");
    for (std::size_t i = 0; i < c.revoked_key_ids.size(); ++i) c.revoked_key_ids[i] = "r" + std::to_string(i);
  }));
  EXPECT_FALSE(ValidAfter([](auto& c) {
    c.revoked_key_ids.assign(limits::kMaxRevokedKeyIds + 1, "");
    for (std::size_t i = 0; i < c.revoked_key_ids.size(); ++i) c.revoked_key_ids[i] = "r" + std::to_string(i);
  }));
}

TEST(KeyBundleContentTest, ParseRefusesWhatValidationRefuses) {
  auto content = TestContent();
  content.lowest_accepted_version = content.version + 1;
  auto parsed = ParseKeyBundle(EncodeKeyBundle(content));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(), kInvalidKeyBundle);
  // A public key of 31 bytes cannot be represented in the plain type; it is
  // refused while parsing.
  auto bytes = EncodeKeyBundle(TestContent());
  const auto key = TestContent().keys[0].public_key.bytes;
  const auto at = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
  ASSERT_NE(at, bytes.end());
  ASSERT_EQ(*(at - 1), 32);
  *(at - 1) = 31;  // the length prefix; the last key byte now reads as a tag
  EXPECT_FALSE(ParseKeyBundle(bytes).ok());
}

}  // namespace
}  // namespace amparo::protocol
