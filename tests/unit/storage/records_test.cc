// records_test.cc: every stored record decodes to what was encoded, and a
// decoder refuses a record that is truncated, extended or of another format;
// keys sort in numeric order.

#include "storage/records.h"

#include <gtest/gtest.h>

#include <string>

namespace amparo::storage::records {
namespace {

template <typename Record>
void ExpectStrictRoundTrip(const Record& record, bool extensible = false) {
  const std::string bytes = Encode(record);
  Record decoded;
  ASSERT_TRUE(Decode(bytes, &decoded));
  EXPECT_EQ(decoded, record);
  if (!extensible) {
    EXPECT_FALSE(Decode(std::string_view(bytes).substr(0, bytes.size() - 1), &decoded));
    EXPECT_FALSE(Decode(bytes + '\0', &decoded));
  }
  std::string other_format = bytes;
  other_format[0] = 2;
  EXPECT_FALSE(Decode(other_format, &decoded));
  EXPECT_FALSE(Decode("", &decoded));
}

TEST(RecordsTest, EnvelopeRecord) {
  ExpectStrictRoundTrip(EnvelopeRecord{7, 20020, 520221567, 3});
}

TEST(RecordsTest, UploadRecord) {
  ExpectStrictRoundTrip(UploadRecord{1000, 400, 20020, 9});
  UploadRecord impossible{10, 11, 0, 1};  // more committed than declared
  UploadRecord decoded;
  EXPECT_FALSE(Decode(Encode(impossible), &decoded));
}

TEST(RecordsTest, Totals) { ExpectStrictRoundTrip(Totals{1, 2, 3, 4}); }

TEST(RecordsTest, AuditHead) {
  AuditHead head{5, {}};
  head.hash[0] = 0xaa;
  ExpectStrictRoundTrip(head);
}

TEST(RecordsTest, AuditRecordKeepsItsTextExactly) {
  AuditRecord record;
  record.seq = 3;
  record.day = 20020;
  record.prev_hash[1] = 1;
  record.hash[2] = 2;
  record.text = "export 12 acknowledged";
  ExpectStrictRoundTrip(record, /*extensible=*/true);
  AuditRecord decoded;
  EXPECT_FALSE(Decode(Encode(record).substr(0, 1 + 8 + 8 + 32 + 31), &decoded));
}

TEST(RecordsTest, NumbersAreBigEndianAndSortNumerically) {
  EXPECT_EQ(U64(0x0102030405060708), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_LT(U64(255), U64(256));
  std::uint64_t value = 0;
  EXPECT_TRUE(DecodeU64(U64(42), &value));
  EXPECT_EQ(value, 42u);
  EXPECT_FALSE(DecodeU64("1234567", &value));
  EXPECT_FALSE(DecodeU64("123456789", &value));
}

TEST(RecordsTest, ChunkKeysKeepABlobsChunksTogetherInOrder) {
  EXPECT_LT(ChunkKey(1, 0), ChunkKey(1, kChunkBytes));
  EXPECT_LT(ChunkKey(1, UINT64_MAX), ChunkKey(2, 0));
  std::uint64_t blob = 0;
  std::uint64_t offset = 0;
  ASSERT_TRUE(DecodeChunkKey(ChunkKey(5, 3 * kChunkBytes), &blob, &offset));
  EXPECT_EQ(blob, 5u);
  EXPECT_EQ(offset, 3 * kChunkBytes);
  EXPECT_FALSE(DecodeChunkKey(U64(5), &blob, &offset));
}

}  // namespace
}  // namespace amparo::storage::records
