// rocksdb_store_audit_test.cc: the operator audit chain links each record to
// the one before; a record altered, removed or added behind the store's back
// (through a raw handle on the closed database) is reported as the first
// broken link.

#include <gtest/gtest.h>

#include <string>

#include "storage/records.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_store.h"
#include "tests/support/raw_rocksdb.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage {
namespace {

using test::kToday;
using test::OpenOrDie;

const std::string kAudit(FamilyName(Family::kAudit));
const std::string kMeta(FamilyName(Family::kMeta));

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenOrDie(path());
    for (int i = 1; i <= 5; ++i) {
      auto seq = store->AppendAudit(kToday + i, "key bundle " + std::to_string(i) + " installed");
      ASSERT_TRUE(seq.ok());
      EXPECT_EQ(seq.value(), static_cast<std::uint64_t>(i));
    }
  }

  AuditVerdict Verify() {
    auto store = OpenOrDie(path());
    auto verdict = store->VerifyAuditChain();
    if (!verdict.ok()) {
      ADD_FAILURE() << ErrorName(verdict.error());
      return {};
    }
    return verdict.value();
  }

  std::filesystem::path path() const { return dir_.path() / "store"; }
  amparo::test::TempDir dir_;
};

TEST_F(AuditChainTest, IntactChainVerifies) {
  const AuditVerdict verdict = Verify();
  EXPECT_TRUE(verdict.intact());
  EXPECT_EQ(verdict.length, 5u);
}

TEST_F(AuditChainTest, EmptyChainVerifies) {
  amparo::test::TempDir other;
  auto store = OpenOrDie(other.path() / "store");
  auto verdict = store->VerifyAuditChain();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict.value().intact());
  EXPECT_EQ(verdict.value().length, 0u);
}

TEST_F(AuditChainTest, AlteredTextIsTheFirstBrokenLink) {
  {
    amparo::test::RawRocksDb raw(path());
    std::string record = raw.Get(kAudit, records::U64(3)).value();
    record.back() ^= 1;  // one bit of the text
    raw.Put(kAudit, records::U64(3), record);
  }
  const AuditVerdict verdict = Verify();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.first_broken, 3u);
}

TEST_F(AuditChainTest, AlteredDayIsDetected) {
  {
    amparo::test::RawRocksDb raw(path());
    std::string record = raw.Get(kAudit, records::U64(2)).value();
    record[1 + 8 + 7] ^= 1;  // the low byte of the day
    raw.Put(kAudit, records::U64(2), record);
  }
  EXPECT_EQ(Verify().first_broken, 2u);
}

TEST_F(AuditChainTest, RecordRewrittenWithItsOwnHashBreaksTheNextLink) {
  {
    amparo::test::RawRocksDb raw(path());
    records::AuditRecord record;
    ASSERT_TRUE(records::Decode(raw.Get(kAudit, records::U64(2)).value(), &record));
    record.text = "nothing happened";
    record.hash = AuditHash(record.prev_hash, record.seq, record.day, record.text).value();
    raw.Put(kAudit, records::U64(2), records::Encode(record));
  }
  EXPECT_EQ(Verify().first_broken, 3u);
}

TEST_F(AuditChainTest, RemovedRecordIsDetected) {
  {
    amparo::test::RawRocksDb raw(path());
    raw.Delete(kAudit, records::U64(4));
  }
  EXPECT_EQ(Verify().first_broken, 4u);
}

TEST_F(AuditChainTest, RemovedTailIsDetectedByTheHead) {
  {
    amparo::test::RawRocksDb raw(path());
    raw.Delete(kAudit, records::U64(5));
  }
  EXPECT_EQ(Verify().first_broken, 5u);
}

TEST_F(AuditChainTest, AppendingContinuesTheChainAfterReopen) {
  {
    auto store = OpenOrDie(path());
    EXPECT_EQ(store->AppendAudit(kToday, "export 1 written").value(), 6u);
  }
  const AuditVerdict verdict = Verify();
  EXPECT_TRUE(verdict.intact());
  EXPECT_EQ(verdict.length, 6u);
}

TEST_F(AuditChainTest, RefusesTextThatIsNotPrintableAscii) {
  auto store = OpenOrDie(path());
  EXPECT_EQ(store->AppendAudit(kToday, "").error(), Error::kInvalidArgument);
  EXPECT_EQ(store->AppendAudit(kToday, "two\nlines").error(), Error::kInvalidArgument);
  EXPECT_EQ(store->AppendAudit(kToday, std::string("nul\0byte", 8)).error(),
            Error::kInvalidArgument);
  EXPECT_EQ(store->AppendAudit(kToday, "caf\xc3\xa9").error(), Error::kInvalidArgument);
  EXPECT_EQ(store->Stats().value().audit_length, 5u);
}

}  // namespace
}  // namespace amparo::storage
