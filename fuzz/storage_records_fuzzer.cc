// Fuzzes the decoders of what the RocksDB store reads back from disk
// (storage/records.h), each given the whole input: EnvelopeRecord,
// UploadRecord, Totals, AuditRecord, AuditHead, ReplyRecord, DecodeU64 and
// DecodeChunkKey. Whatever decodes re-encodes to exactly the input, so that
// each layout has one encoding; a record decoder that refuses leaves its
// output as it was; an upload never has more bytes committed than its total.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "storage/records.h"

namespace {

namespace records = amparo::storage::records;
using amparo::fuzz::Check;

// Sentinel returns a record whose fields all differ from their defaults,
// to tell an output left alone from one written.
template <typename Record>
Record Sentinel();

template <>
records::EnvelopeRecord Sentinel() { return {1, 2, 3, 4}; }
template <>
records::UploadRecord Sentinel() { return {5, 4, 3, 2}; }
template <>
records::Totals Sentinel() { return {6, 7, 8, 9}; }
template <>
records::AuditRecord Sentinel() { return {1, 2, {3}, {4}, "sentinel"}; }
template <>
records::AuditHead Sentinel() { return {5, {6}}; }
template <>
records::ReplyRecord Sentinel() { return {7, 8, 9}; }

// DecodeAndReencode decodes `bytes` as a Record and returns whether it did.
template <typename Record>
bool DecodeAndReencode(std::string_view bytes) {
  Record record = Sentinel<Record>();
  if (!records::Decode(bytes, &record)) {
    Check(record == Sentinel<Record>());
    return false;
  }
  Check(records::Encode(record) == bytes);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = amparo::fuzz::AsChars(data, size);
  // Format byte, then four u64 (or i64) fields.
  const bool envelope = DecodeAndReencode<records::EnvelopeRecord>(bytes);
  Check(!envelope || size == 33);
  if (DecodeAndReencode<records::UploadRecord>(bytes)) {
    records::UploadRecord upload;
    Check(records::Decode(bytes, &upload) && upload.committed <= upload.total && size == 33);
  }
  const bool totals = DecodeAndReencode<records::Totals>(bytes);
  Check(!totals || size == 33);
  // Format byte, seq, day, two digests, then the text.
  const bool audit = DecodeAndReencode<records::AuditRecord>(bytes);
  Check(audit == (size >= 81 && data[0] == records::kRecordFormat));
  const bool head = DecodeAndReencode<records::AuditHead>(bytes);
  Check(!head || size == 41);
  const bool reply = DecodeAndReencode<records::ReplyRecord>(bytes);
  Check(!reply || size == 25);

  // These two may write their outputs before refusing trailing bytes; their
  // callers use them only on success.
  std::uint64_t value = 0;
  if (records::DecodeU64(bytes, &value)) {
    Check(records::U64(value) == bytes);
  } else {
    Check(size != 8);
  }
  std::uint64_t blob = 0;
  std::uint64_t offset = 0;
  if (records::DecodeChunkKey(bytes, &blob, &offset)) {
    Check(records::ChunkKey(blob, offset) == bytes);
  } else {
    Check(size != 16);
  }
  return 0;
}
