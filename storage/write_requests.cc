#include "storage/write_requests.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/limits.h"
#include "storage/audit_hash.h"
#include "storage/records.h"

namespace amparo::storage {
namespace {

using records::Totals;

// ReadCounter returns a meta counter, `initial` if it was never written; kIo
// if it is damaged.
Result<std::uint64_t> ReadCounter(StagedView& view, std::string_view key, std::uint64_t initial) {
  auto value = view.Get(Family::kMeta, key);
  if (!value.ok()) return value.error();
  if (!value.value().has_value()) return initial;
  std::uint64_t counter = 0;
  if (!records::DecodeU64(*value.value(), &counter)) return Error::kIo;
  return counter;
}

// ReadRecord returns a decoded record, nullopt if absent; kIo if damaged.
template <typename Record>
Result<std::optional<Record>> ReadRecord(StagedView& view, Family family, std::string_view key) {
  auto value = view.Get(family, key);
  if (!value.ok()) return value.error();
  if (!value.value().has_value()) return std::optional<Record>();
  Record record;
  if (!records::Decode(*value.value(), &record)) return Error::kIo;
  return std::optional<Record>(record);
}

Result<Totals> ReadTotals(StagedView& view) {
  auto totals = ReadRecord<Totals>(view, Family::kMeta, records::kTotalsKey);
  if (!totals.ok()) return totals.error();
  return totals.value().value_or(Totals{});
}

// TakeNext returns the counter's value and stages its successor.
Result<std::uint64_t> TakeNext(StagedView& view, std::string_view key) {
  auto next = ReadCounter(view, key, 1);
  if (!next.ok()) return next.error();
  AMPARO_RETURN_IF_ERROR(view.Put(Family::kMeta, key, records::U64(next.value() + 1)));
  return next.value();
}

// StageChunks stores `bytes` as the chunks of `blob` starting at `offset`.
Status StageChunks(StagedView& view, std::uint64_t blob, std::uint64_t offset,
                   std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), records::kChunkBytes);
    AMPARO_RETURN_IF_ERROR(
        view.PutBulk(Family::kChunks, records::ChunkKey(blob, offset), bytes.first(n)));
    bytes = bytes.subspan(n);
    offset += n;
  }
  return OkStatus();
}

Status DropChunks(StagedView& view, std::uint64_t blob) {
  return view.DeleteRange(Family::kChunks, records::ChunkKey(blob, 0),
                          records::ChunkKey(blob + 1, 0));
}

// PublishEnvelope stages the record and queue entry of a new envelope.
Status PublishEnvelope(StagedView& view, const EnvelopeId& id, std::uint64_t size,
                       std::uint64_t blob, Day day, Totals& totals) {
  auto seq = TakeNext(view, records::kNextSeqKey);
  if (!seq.ok()) return seq.error();
  const records::EnvelopeRecord record{seq.value(), day, size, blob};
  AMPARO_RETURN_IF_ERROR(view.Put(Family::kEnvelopes, records::IdKey(id), records::Encode(record)));
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kExportQueue, records::U64(seq.value()), records::IdKey(id)));
  totals.envelopes += 1;
  totals.envelope_bytes += size;
  return OkStatus();
}

Result<bool> EnvelopeExists(StagedView& view, const EnvelopeId& id) {
  auto value = view.Get(Family::kEnvelopes, records::IdKey(id));
  if (!value.ok()) return value.error();
  return value.value().has_value();
}

}  // namespace

Status StagePutEnvelope(StagedView& view, const EnvelopeId& id,
                        std::span<const std::uint8_t> bytes, Day day) {
  auto exists = EnvelopeExists(view, id);
  if (!exists.ok()) return exists.error();
  // Ids are random; a repeated one is a replay or a bug, never an update.
  if (exists.value()) return Error::kConflict;
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  auto blob = TakeNext(view, records::kNextBlobKey);
  if (!blob.ok()) return blob.error();
  AMPARO_RETURN_IF_ERROR(StageChunks(view, blob.value(), 0, bytes));
  AMPARO_RETURN_IF_ERROR(
      PublishEnvelope(view, id, bytes.size(), blob.value(), day, totals.value()));
  return view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value()));
}

Status StageCreateUpload(StagedView& view, const UploadId& upload, std::uint64_t total,
                         std::span<const std::uint8_t> head, Day day,
                         std::size_t max_open_uploads) {
  auto existing = view.Get(Family::kUploads, records::IdKey(upload));
  if (!existing.ok()) return existing.error();
  if (existing.value().has_value()) return Error::kConflict;
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  if (totals.value().open_uploads >= max_open_uploads) return Error::kUnavailable;
  auto blob = TakeNext(view, records::kNextBlobKey);
  if (!blob.ok()) return blob.error();
  AMPARO_RETURN_IF_ERROR(StageChunks(view, blob.value(), 0, head));
  const records::UploadRecord record{total, head.size(), day, blob.value()};
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kUploads, records::IdKey(upload), records::Encode(record)));
  totals.value().open_uploads += 1;
  totals.value().upload_bytes += head.size();
  return view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value()));
}

Status StageAppendUpload(StagedView& view, const UploadId& upload, std::uint64_t offset,
                         std::span<const std::uint8_t> bytes) {
  auto session = ReadRecord<records::UploadRecord>(view, Family::kUploads, records::IdKey(upload));
  if (!session.ok()) return session.error();
  if (!session.value().has_value()) return Error::kNotFound;
  records::UploadRecord record = *session.value();
  if (offset != record.committed) return Error::kConflict;
  if (bytes.size() > record.total - record.committed) return Error::kLimitExceeded;
  if (bytes.empty()) return OkStatus();
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  // The bytes and the session that counts them go in the same synced batch,
  // so after a crash the committed length always matches the stored bytes.
  AMPARO_RETURN_IF_ERROR(StageChunks(view, record.blob, offset, bytes));
  record.committed += bytes.size();
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kUploads, records::IdKey(upload), records::Encode(record)));
  totals.value().upload_bytes += bytes.size();
  return view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value()));
}

Status StageFinalizeUpload(StagedView& view, const UploadId& upload, const EnvelopeId& envelope,
                           Day day) {
  auto session = ReadRecord<records::UploadRecord>(view, Family::kUploads, records::IdKey(upload));
  if (!session.ok()) return session.error();
  if (!session.value().has_value()) return Error::kNotFound;
  const records::UploadRecord record = *session.value();
  if (record.committed != record.total) return Error::kConflict;
  auto exists = EnvelopeExists(view, envelope);
  if (!exists.ok()) return exists.error();
  if (exists.value()) return Error::kConflict;
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  // The chunks stay where they are: the envelope takes over the upload's blob.
  AMPARO_RETURN_IF_ERROR(
      PublishEnvelope(view, envelope, record.total, record.blob, day, totals.value()));
  AMPARO_RETURN_IF_ERROR(view.Delete(Family::kUploads, records::IdKey(upload)));
  totals.value().open_uploads -= 1;
  totals.value().upload_bytes -= record.committed;
  return view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value()));
}

Result<std::size_t> StageExpireUploads(StagedView& view, Day today, std::int64_t max_age_days) {
  auto sessions = view.Entries(Family::kUploads);
  if (!sessions.ok()) return sessions.error();
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  std::size_t removed = 0;
  for (const auto& [key, value] : sessions.value()) {
    records::UploadRecord record;
    if (!records::Decode(value, &record)) return Error::kIo;
    if (today - record.created_day <= max_age_days) continue;
    AMPARO_RETURN_IF_ERROR(view.Delete(Family::kUploads, key));
    AMPARO_RETURN_IF_ERROR(DropChunks(view, record.blob));
    totals.value().open_uploads -= 1;
    totals.value().upload_bytes -= record.committed;
    ++removed;
  }
  if (removed == 0) return removed;
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value())));
  return removed;
}

Result<std::size_t> StageDeleteEnvelopes(StagedView& view, std::span<const EnvelopeId> ids) {
  auto totals = ReadTotals(view);
  if (!totals.ok()) return totals.error();
  std::size_t deleted = 0;
  for (const EnvelopeId& id : ids) {
    auto found = ReadRecord<records::EnvelopeRecord>(view, Family::kEnvelopes, records::IdKey(id));
    if (!found.ok()) return found.error();
    if (!found.value().has_value()) continue;  // already purged: acknowledgements repeat
    const records::EnvelopeRecord& record = *found.value();
    AMPARO_RETURN_IF_ERROR(view.Delete(Family::kEnvelopes, records::IdKey(id)));
    AMPARO_RETURN_IF_ERROR(view.Delete(Family::kExportQueue, records::U64(record.seq)));
    AMPARO_RETURN_IF_ERROR(DropChunks(view, record.blob));
    totals.value().envelopes -= 1;
    totals.value().envelope_bytes -= record.size;
    ++deleted;
  }
  if (deleted == 0) return deleted;
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kMeta, records::kTotalsKey, records::Encode(totals.value())));
  return deleted;
}

Result<std::uint64_t> StageTakeExportNumber(StagedView& view) {
  return TakeNext(view, records::kNextExportKey);
}

Result<std::uint64_t> StageContinueExportsAfter(StagedView& view, std::uint64_t last_exported) {
  auto next = ReadCounter(view, records::kNextExportKey, 1);
  if (!next.ok()) return next.error();
  // Never lower: a number the node already signed must not come again.
  if (next.value() > last_exported) return next.value();
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kMeta, records::kNextExportKey, records::U64(last_exported + 1)));
  return last_exported + 1;
}

Status StagePutKeyBundle(StagedView& view, std::uint64_t version,
                         std::span<const std::uint8_t> signed_bytes) {
  auto current = ReadCounter(view, records::kBundleVersionKey, 0);
  if (!current.ok()) return current.error();
  // No rollback: an older bundle could bring back a revoked key.
  if (version < current.value()) return Error::kKeyBundleRollback;
  const std::string bytes(signed_bytes.begin(), signed_bytes.end());
  if (version == current.value()) {
    auto installed = view.Get(Family::kKeyBundles, records::U64(version));
    if (!installed.ok()) return installed.error();
    if (!installed.value().has_value()) return Error::kIo;
    return *installed.value() == bytes ? OkStatus() : Status(Error::kKeyBundleRollback);
  }
  AMPARO_RETURN_IF_ERROR(view.Put(Family::kKeyBundles, records::U64(version), bytes));
  if (current.value() != 0) {
    AMPARO_RETURN_IF_ERROR(view.Delete(Family::kKeyBundles, records::U64(current.value())));
  }
  return view.Put(Family::kMeta, records::kBundleVersionKey, records::U64(version));
}

Result<std::uint64_t> StageAppendAudit(StagedView& view, Day day, std::string_view text) {
  auto head = ReadRecord<records::AuditHead>(view, Family::kMeta, records::kAuditHeadKey);
  if (!head.ok()) return head.error();
  const records::AuditHead previous = head.value().value_or(records::AuditHead{});
  records::AuditRecord record;
  record.seq = previous.length + 1;
  record.day = day;
  record.prev_hash = previous.hash;
  record.text = std::string(text);
  auto hash = AuditHash(record.prev_hash, record.seq, record.day, record.text);
  if (!hash.ok()) return hash.error();
  record.hash = hash.value();
  AMPARO_RETURN_IF_ERROR(
      view.Put(Family::kAudit, records::U64(record.seq), records::Encode(record)));
  AMPARO_RETURN_IF_ERROR(view.Put(Family::kMeta, records::kAuditHeadKey,
                                  records::Encode(records::AuditHead{record.seq, record.hash})));
  return record.seq;
}

namespace {

std::string ReplyKey(const StoredReply& reply) {
  return records::MailboxReplyKey(reply.mailbox, reply.id.bytes());
}

// DropReply removes a reply's index record and bytes.
Status DropReply(StagedView& view, const std::string& key) {
  AMPARO_RETURN_IF_ERROR(view.Delete(Family::kMailboxIndex, key));
  return view.Delete(Family::kReplyBodies, key);
}

}  // namespace

Result<std::size_t> StagePlaceReplies(StagedView& view, std::uint64_t batch_number,
                                      std::span<const StoredReply> replies, Day day) {
  auto last = ReadCounter(view, records::kRepliesBatchKey, 0);
  if (!last.ok()) return last.error();
  // A lower batch is an old file played again; its replies may have expired
  // or been read long ago, and must not come back.
  if (batch_number < last.value()) return Error::kConflict;
  std::size_t placed = 0;
  for (const StoredReply& reply : replies) {
    const std::string key = ReplyKey(reply);
    auto existing = view.Get(Family::kMailboxIndex, key);
    if (!existing.ok()) return existing.error();
    if (existing.value().has_value()) continue;
    auto order = TakeNext(view, records::kNextReplyKey);
    if (!order.ok()) return order.error();
    const records::ReplyRecord record{order.value(), day, reply.sealed.size()};
    AMPARO_RETURN_IF_ERROR(view.Put(Family::kMailboxIndex, key, records::Encode(record)));
    AMPARO_RETURN_IF_ERROR(view.PutBulk(Family::kReplyBodies, key, reply.sealed));
    ++placed;
    // A mailbox keeps its newest kMailboxSlots replies.
    const std::string prefix(reply.mailbox.begin(), reply.mailbox.end());
    auto entries = view.EntriesWithPrefix(Family::kMailboxIndex, prefix);
    if (!entries.ok()) return entries.error();
    if (entries.value().size() <= limits::kMailboxSlots) continue;
    const std::pair<std::string, std::string>* oldest = nullptr;
    std::uint64_t oldest_order = 0;
    for (const auto& entry : entries.value()) {
      records::ReplyRecord r;
      if (!records::Decode(entry.second, &r)) return Error::kIo;
      if (oldest == nullptr || r.order < oldest_order) {
        oldest = &entry;
        oldest_order = r.order;
      }
    }
    AMPARO_RETURN_IF_ERROR(DropReply(view, oldest->first));
  }
  AMPARO_RETURN_IF_ERROR(view.Put(Family::kMeta, records::kRepliesBatchKey,
                                  records::U64(std::max(batch_number, last.value()))));
  return placed;
}

Result<std::size_t> StageExpireReplies(StagedView& view, Day today, std::int64_t max_age_days) {
  auto entries = view.Entries(Family::kMailboxIndex);
  if (!entries.ok()) return entries.error();
  std::size_t removed = 0;
  for (const auto& [key, value] : entries.value()) {
    records::ReplyRecord record;
    if (!records::Decode(value, &record)) return Error::kIo;
    if (today - record.day <= max_age_days) continue;
    AMPARO_RETURN_IF_ERROR(DropReply(view, key));
    ++removed;
  }
  return removed;
}

}  // namespace amparo::storage
