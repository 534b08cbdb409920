#pragma once
// records.h: the byte layout of what the RocksDB store writes. Integers are
// big-endian, so that keys sort numerically; each value starts with a format
// byte, so that a later layout can be told apart. Decoders treat stored bytes
// as untrusted (a damaged disk, a tampered file) and reject anything that is
// not exactly the layout.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "storage/audit_hash.h"
#include "storage/envelope_store.h"

namespace amparo::storage::records {

inline constexpr std::uint8_t kRecordFormat = 1;

// Keys of the meta family.
inline constexpr std::string_view kSchemaKey = "schema";
inline constexpr std::string_view kNextSeqKey = "next_seq";
inline constexpr std::string_view kNextBlobKey = "next_blob";
inline constexpr std::string_view kTotalsKey = "totals";
inline constexpr std::string_view kAuditHeadKey = "audit_head";
inline constexpr std::string_view kBundleVersionKey = "bundle_version";
inline constexpr std::string_view kNextExportKey = "next_export";
inline constexpr std::string_view kNextReplyKey = "next_reply";
inline constexpr std::string_view kRepliesBatchKey = "replies_batch";

// kSchemaVersion is the layout version written at creation; a store with
// another one is refused.
inline constexpr std::uint64_t kSchemaVersion = 1;

// kChunkBytes is the largest chunk value: envelope bytes are stored as
// chunks of at most this size, so that no read or write holds more at once.
inline constexpr std::size_t kChunkBytes = 1024 * 1024;

// EnvelopeRecord (envelopes family, key: the 16-byte id). `blob` names the
// chunks that hold the bytes.
struct EnvelopeRecord {
  std::uint64_t seq = 0;
  Day day = 0;
  std::uint64_t size = 0;
  std::uint64_t blob = 0;
  friend bool operator==(const EnvelopeRecord&, const EnvelopeRecord&) = default;
};

// UploadRecord (uploads family, key: the 16-byte upload id).
struct UploadRecord {
  std::uint64_t total = 0;
  std::uint64_t committed = 0;
  Day created_day = 0;
  std::uint64_t blob = 0;
  friend bool operator==(const UploadRecord&, const UploadRecord&) = default;
};

// Totals (meta family) are the counters behind Stats, kept in the same
// batches as the records they count.
struct Totals {
  std::uint64_t envelopes = 0;
  std::uint64_t envelope_bytes = 0;
  std::uint64_t open_uploads = 0;
  std::uint64_t upload_bytes = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};

// AuditRecord (audit family, key: u64be(seq)).
struct AuditRecord {
  std::uint64_t seq = 0;
  Day day = 0;
  AuditDigest prev_hash{};
  AuditDigest hash{};
  std::string text;
  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

// ReplyRecord (mailbox index family, key: MailboxReplyKey): where a reply
// stands among its mailbox's (`order`, increasing), when it was placed and
// its size; its bytes are in the reply bodies family under the same key.
struct ReplyRecord {
  std::uint64_t order = 0;
  Day day = 0;
  std::uint64_t size = 0;
  friend bool operator==(const ReplyRecord&, const ReplyRecord&) = default;
};

// AuditHead (meta family): the chain's length and last hash.
struct AuditHead {
  std::uint64_t length = 0;
  AuditDigest hash{};
  friend bool operator==(const AuditHead&, const AuditHead&) = default;
};

std::string Encode(const EnvelopeRecord& record);
std::string Encode(const UploadRecord& record);
std::string Encode(const Totals& totals);
std::string Encode(const AuditRecord& record);
std::string Encode(const AuditHead& head);
std::string Encode(const ReplyRecord& record);

// Decode parses exactly one record; false if the bytes are anything else.
bool Decode(std::string_view bytes, EnvelopeRecord* out);
bool Decode(std::string_view bytes, UploadRecord* out);
bool Decode(std::string_view bytes, Totals* out);
bool Decode(std::string_view bytes, AuditRecord* out);
bool Decode(std::string_view bytes, AuditHead* out);
bool Decode(std::string_view bytes, ReplyRecord* out);

// MailboxReplyKey is mailbox_key (32 bytes) || reply id (16 bytes): a
// mailbox's replies are one key range.
std::string MailboxReplyKey(std::span<const std::uint8_t, 32> mailbox, std::span<const std::uint8_t, 16> reply);

// U64 is the 8-byte big-endian form of a number: export-queue, audit and key
// bundle keys, and meta counters.
std::string U64(std::uint64_t value);
// DecodeU64 parses exactly 8 bytes.
bool DecodeU64(std::string_view bytes, std::uint64_t* out);

// ChunkKey (chunks family) is u64be(blob) || u64be(offset of the chunk's
// first byte), so that a blob's chunks are adjacent and in order.
std::string ChunkKey(std::uint64_t blob, std::uint64_t offset);
bool DecodeChunkKey(std::string_view key, std::uint64_t* blob, std::uint64_t* offset);

// IdKey is the id's 16 bytes.
template <typename Tag>
std::string IdKey(const Id<Tag>& id) {
  return std::string(id.bytes().begin(), id.bytes().end());
}

}  // namespace amparo::storage::records
