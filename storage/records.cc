#include "storage/records.h"

#include <algorithm>
#include <span>
#include <utility>

#include "common/byte_reader.h"

namespace amparo::storage::records {
namespace {

void PutU64(std::string* out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>(static_cast<std::uint8_t>(value >> shift)));
  }
}

void PutDigest(std::string* out, const AuditDigest& digest) {
  out->append(digest.begin(), digest.end());
}

std::string Start() { return std::string(1, static_cast<char>(kRecordFormat)); }

bool ReadU64(ByteReader& reader, std::uint64_t* out) {
  std::span<const std::uint8_t> bytes;
  if (!reader.ReadBytes(8, &bytes)) return false;
  std::uint64_t value = 0;
  for (std::uint8_t b : bytes) value = value << 8 | b;
  *out = value;
  return true;
}

bool ReadDay(ByteReader& reader, Day* out) {
  std::uint64_t raw = 0;
  if (!ReadU64(reader, &raw)) return false;
  *out = static_cast<Day>(raw);
  return true;
}

bool ReadDigest(ByteReader& reader, AuditDigest* out) {
  std::span<const std::uint8_t> bytes;
  if (!reader.ReadBytes(out->size(), &bytes)) return false;
  std::copy(bytes.begin(), bytes.end(), out->begin());
  return true;
}

bool ReadFormat(ByteReader& reader) {
  std::uint8_t format = 0;
  return reader.ReadU8(&format) && format == kRecordFormat;
}

}  // namespace

std::string Encode(const EnvelopeRecord& record) {
  std::string out = Start();
  PutU64(&out, record.seq);
  PutU64(&out, static_cast<std::uint64_t>(record.day));
  PutU64(&out, record.size);
  PutU64(&out, record.blob);
  return out;
}

std::string Encode(const UploadRecord& record) {
  std::string out = Start();
  PutU64(&out, record.total);
  PutU64(&out, record.committed);
  PutU64(&out, static_cast<std::uint64_t>(record.created_day));
  PutU64(&out, record.blob);
  return out;
}

std::string Encode(const Totals& totals) {
  std::string out = Start();
  PutU64(&out, totals.envelopes);
  PutU64(&out, totals.envelope_bytes);
  PutU64(&out, totals.open_uploads);
  PutU64(&out, totals.upload_bytes);
  return out;
}

std::string Encode(const AuditRecord& record) {
  std::string out = Start();
  PutU64(&out, record.seq);
  PutU64(&out, static_cast<std::uint64_t>(record.day));
  PutDigest(&out, record.prev_hash);
  PutDigest(&out, record.hash);
  out += record.text;
  return out;
}

std::string Encode(const AuditHead& head) {
  std::string out = Start();
  PutU64(&out, head.length);
  PutDigest(&out, head.hash);
  return out;
}

bool Decode(std::string_view bytes, EnvelopeRecord* out) {
  ByteReader reader(bytes);
  EnvelopeRecord r;
  if (!ReadFormat(reader) || !ReadU64(reader, &r.seq) || !ReadDay(reader, &r.day) ||
      !ReadU64(reader, &r.size) || !ReadU64(reader, &r.blob) || !reader.empty()) {
    return false;
  }
  *out = r;
  return true;
}

bool Decode(std::string_view bytes, UploadRecord* out) {
  ByteReader reader(bytes);
  UploadRecord r;
  if (!ReadFormat(reader) || !ReadU64(reader, &r.total) || !ReadU64(reader, &r.committed) ||
      !ReadDay(reader, &r.created_day) || !ReadU64(reader, &r.blob) || !reader.empty() ||
      r.committed > r.total) {
    return false;
  }
  *out = r;
  return true;
}

bool Decode(std::string_view bytes, Totals* out) {
  ByteReader reader(bytes);
  Totals t;
  if (!ReadFormat(reader) || !ReadU64(reader, &t.envelopes) ||
      !ReadU64(reader, &t.envelope_bytes) || !ReadU64(reader, &t.open_uploads) ||
      !ReadU64(reader, &t.upload_bytes) || !reader.empty()) {
    return false;
  }
  *out = t;
  return true;
}

bool Decode(std::string_view bytes, AuditRecord* out) {
  ByteReader reader(bytes);
  AuditRecord r;
  if (!ReadFormat(reader) || !ReadU64(reader, &r.seq) || !ReadDay(reader, &r.day) ||
      !ReadDigest(reader, &r.prev_hash) || !ReadDigest(reader, &r.hash)) {
    return false;
  }
  r.text = std::string(AsText(reader.rest()));
  *out = std::move(r);
  return true;
}

bool Decode(std::string_view bytes, AuditHead* out) {
  ByteReader reader(bytes);
  AuditHead h;
  if (!ReadFormat(reader) || !ReadU64(reader, &h.length) || !ReadDigest(reader, &h.hash) ||
      !reader.empty()) {
    return false;
  }
  *out = h;
  return true;
}

std::string U64(std::uint64_t value) {
  std::string out;
  PutU64(&out, value);
  return out;
}

bool DecodeU64(std::string_view bytes, std::uint64_t* out) {
  ByteReader reader(bytes);
  return ReadU64(reader, out) && reader.empty();
}

std::string ChunkKey(std::uint64_t blob, std::uint64_t offset) {
  std::string out;
  PutU64(&out, blob);
  PutU64(&out, offset);
  return out;
}

bool DecodeChunkKey(std::string_view key, std::uint64_t* blob, std::uint64_t* offset) {
  ByteReader reader(key);
  return ReadU64(reader, blob) && ReadU64(reader, offset) && reader.empty();
}

std::string Encode(const ReplyRecord& record) {
  std::string out = Start();
  PutU64(&out, record.order);
  PutU64(&out, static_cast<std::uint64_t>(record.day));
  PutU64(&out, record.size);
  return out;
}

bool Decode(std::string_view bytes, ReplyRecord* out) {
  ByteReader reader(bytes);
  ReplyRecord r;
  if (!ReadFormat(reader) || !ReadU64(reader, &r.order) || !ReadDay(reader, &r.day) ||
      !ReadU64(reader, &r.size) || !reader.empty()) {
    return false;
  }
  *out = r;
  return true;
}

std::string MailboxReplyKey(std::span<const std::uint8_t, 32> mailbox, std::span<const std::uint8_t, 16> reply) {
  std::string key(mailbox.begin(), mailbox.end());
  key.append(reply.begin(), reply.end());
  return key;
}

}  // namespace amparo::storage::records
