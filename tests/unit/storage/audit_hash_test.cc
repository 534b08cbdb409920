// audit_hash_test.cc: the audit link is SHA-256 over exactly
// prev_hash || u64be(seq) || i64be(day) || text; the expected values were
// computed with Python's hashlib.

#include "storage/audit_hash.h"

#include <gtest/gtest.h>

#include "tests/support/hex.h"

namespace amparo::storage {
namespace {

TEST(AuditHashTest, KnownAnswers) {
  const AuditDigest genesis{};
  auto first = AuditHash(genesis, 1, 20000, "key bundle 3 installed");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(amparo::test::ToHex(first.value()),
            "64e0e5ec67f8705d78f7496578ab98bcdef48b9187c715c43b25940b7c9e7689");
  auto second = AuditHash(first.value(), 2, 20001, "export 7 acknowledged");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(amparo::test::ToHex(second.value()),
            "8330dd951ab0027e9a401756879e29c08df8d02c6266d5282b19431a25d4e78b");
}

TEST(AuditHashTest, EveryFieldCounts) {
  const AuditDigest genesis{};
  AuditDigest other{};
  other[31] = 1;
  const auto base = AuditHash(genesis, 1, 20000, "event").value();
  EXPECT_NE(AuditHash(other, 1, 20000, "event").value(), base);
  EXPECT_NE(AuditHash(genesis, 2, 20000, "event").value(), base);
  EXPECT_NE(AuditHash(genesis, 1, 20001, "event").value(), base);
  EXPECT_NE(AuditHash(genesis, 1, 20000, "event!").value(), base);
}

}  // namespace
}  // namespace amparo::storage
