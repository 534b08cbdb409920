#pragma once
// envelope_store.h: the storage seam. The gateway and admin tools see only
// this interface; the RocksDB implementation sits behind it (rocksdb_store.h)
// and could move to its own process.
//
// The store keeps the minimum: each envelope's exact bytes, its size, the day
// it arrived and its export sequence number. It never receives an address, a
// user agent or a time finer than a day, and it never reads the clock or
// draws random numbers: days and ids come from the caller.
//
// Every operation is safe to call from any thread. Writes are durable (the
// write-ahead log is fsynced) before a synchronous call returns or before an
// asynchronous one's completion runs; concurrent writes share fsyncs.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "storage/ids.h"

namespace amparo::storage {

// kCheckpointFolderName is the folder, inside the store's own, where
// EnvelopeStore::WriteCheckpoint puts a backup: the only place a sandboxed
// gateway may write besides the store.
inline constexpr std::string_view kCheckpointFolderName = "backup-in-progress";

// Day counts days since 1970-01-01 UTC; storage accepts 0..kMaxStoreDay.
using Day = std::int64_t;

using EnvelopeId = Id<struct EnvelopeIdTag>;
using UploadId = Id<struct UploadIdTag>;
using ReplyId = Id<struct ReplyIdTag>;

// MailboxKey names a follow-up mailbox: HMAC-SHA-256 of its mailbox id under
// the gateway's secret (proto/FOLLOWUP.md section 3), computed by the caller.
using MailboxKey = std::array<std::uint8_t, 32>;

// StoredReply is one sealed reply to place in a mailbox.
struct StoredReply {
  MailboxKey mailbox{};
  ReplyId id;
  std::vector<std::uint8_t> sealed;
};

// ReplyInfo describes a placed reply.
struct ReplyInfo {
  ReplyId id;
  Day day = 0;             // the day it was placed
  std::uint64_t size = 0;
};

// Completion receives the outcome of an asynchronous write. It runs on the
// store's committer thread, with no store lock held; it must be quick (post
// to the caller's own executor) and must not call a synchronous write of the
// same store, which would wait on the thread running it (that aborts). A
// refusal that needs no database (an invalid argument, a full write queue, a
// closing store) runs it on the calling thread before the call returns, so
// the caller must not hold a lock that the completion takes.
using Completion = std::function<void(Status)>;

// EnvelopeInfo is what the store records about an envelope besides its bytes.
struct EnvelopeInfo {
  std::uint64_t seq = 0;   // export sequence number, assigned at commit
  Day day = 0;             // day the envelope became visible
  std::uint64_t size = 0;  // exact length in bytes
};

// QueuedEnvelope is one entry of the export queue.
struct QueuedEnvelope {
  std::uint64_t seq = 0;
  EnvelopeId id;
};

// UploadInfo is the state of a resumable upload.
struct UploadInfo {
  std::uint64_t committed = 0;  // bytes durably stored, from offset 0
  std::uint64_t total = 0;      // declared length of the finished envelope
  Day created_day = 0;
};

// KeyBundleRecord is the installed signed key bundle, as received.
struct KeyBundleRecord {
  std::uint64_t version = 0;
  std::vector<std::uint8_t> signed_bytes;
};

// AuditVerdict is the outcome of re-checking the audit chain.
struct AuditVerdict {
  std::uint64_t length = 0;  // records the chain should hold
  // first_broken is the sequence number of the first record that is missing,
  // altered, or does not link to its predecessor; empty if the chain holds.
  std::optional<std::uint64_t> first_broken;
  bool intact() const { return !first_broken.has_value(); }
};

// StoreStats are totals only: nothing in them describes one submission.
struct StoreStats {
  std::uint64_t envelopes = 0;
  std::uint64_t envelope_bytes = 0;
  std::uint64_t open_uploads = 0;
  std::uint64_t upload_bytes = 0;        // committed bytes of open uploads
  std::uint64_t key_bundle_version = 0;  // 0 if none is installed
  std::uint64_t audit_length = 0;
  std::uint64_t disk_bytes = 0;          // live table and blob files
  std::uint64_t commit_writes = 0;       // writes made durable since open
  std::uint64_t commit_syncs = 0;        // synced log writes since open
  std::uint64_t next_seq = 1;            // every export sequence below it was assigned
};

// EnvelopeStore is the durable home of sealed envelopes, resumable uploads,
// the key bundle and the operator audit chain. Errors common to every method:
// kInvalidArgument for an all-zero id or a day outside 0..kMaxStoreDay,
// kIo when the database refuses a read or write, kUnavailable when the store
// is closing or its write queue is full (retry later).
class EnvelopeStore {
 public:
  virtual ~EnvelopeStore() = default;

  // --- intake ---------------------------------------------------------------

  // PutEnvelope stores a complete envelope (at most
  // kMaxStorePutEnvelopeBytes, else kLimitExceeded; empty: kInvalidArgument)
  // and appends it to the export queue; it returns once the write is durable.
  // kConflict if the id is already stored. `bytes` is borrowed for the call.
  virtual Status PutEnvelope(const EnvelopeId& id, std::span<const std::uint8_t> bytes,
                             Day day) = 0;

  // PutEnvelopeAsync is PutEnvelope that returns at once; `done` receives the
  // outcome once the write is durable or refused (see Completion for the
  // thread). The store owns `bytes` and `done` from the call on.
  virtual void PutEnvelopeAsync(const EnvelopeId& id, std::vector<std::uint8_t> bytes, Day day,
                                Completion done) = 0;

  // --- resumable uploads ----------------------------------------------------

  // CreateUpload opens an upload of `total_length` bytes (1 to
  // kMaxStoredEnvelopeBytes, else kInvalidArgument or kLimitExceeded) whose
  // first bytes are `head` (already validated by the caller; at most
  // kMaxStoreAppendBytes and at most total_length, else kLimitExceeded).
  // kConflict if the upload id is in use; kUnavailable if
  // kMaxStoreOpenUploads (or the configured lower limit) are open.
  virtual Status CreateUpload(const UploadId& upload, std::uint64_t total_length,
                              std::span<const std::uint8_t> head, Day day) = 0;

  // AppendUpload stores `bytes` at `offset` and returns once they are durable.
  // kNotFound for an unknown upload; kConflict, with nothing changed, unless
  // offset equals the committed length; kLimitExceeded if the bytes would
  // pass the declared total or exceed kMaxStoreAppendBytes.
  virtual Status AppendUpload(const UploadId& upload, std::uint64_t offset,
                              std::span<const std::uint8_t> bytes) = 0;

  // AppendUploadAsync is AppendUpload that returns at once, as
  // PutEnvelopeAsync does; the store owns `bytes` until `done` runs.
  virtual void AppendUploadAsync(const UploadId& upload, std::uint64_t offset,
                                 std::vector<std::uint8_t> bytes, Completion done) = 0;

  // DescribeUpload returns the upload's committed and declared lengths;
  // kNotFound for an unknown (or finalized, or expired) upload.
  virtual Result<UploadInfo> DescribeUpload(const UploadId& upload) = 0;

  // UploadOffset returns the committed length; errors as DescribeUpload.
  Result<std::uint64_t> UploadOffset(const UploadId& upload);

  // FinalizeUpload atomically turns a complete upload into envelope
  // `envelope`, visible and queued for export, and removes the session.
  // kNotFound for an unknown upload; kConflict if fewer than total bytes are
  // committed or the envelope id is already stored. A finalize repeated after
  // a lost answer gets kNotFound: DescribeEnvelope tells whether it happened.
  virtual Status FinalizeUpload(const UploadId& upload, const EnvelopeId& envelope, Day day) = 0;

  // FinalizeUploadAsync is FinalizeUpload that returns at once.
  virtual void FinalizeUploadAsync(const UploadId& upload, const EnvelopeId& envelope, Day day,
                                   Completion done) = 0;

  // ExpireUploads removes, with their bytes, the upload sessions created
  // more than `max_age_days` days before `today`, and returns how many.
  // kInvalidArgument for a negative max_age_days.
  virtual Result<std::size_t> ExpireUploads(Day today, std::int64_t max_age_days) = 0;

  // --- envelopes and the export queue ---------------------------------------

  // ReadEnvelope writes the envelope's exact bytes to `sink` (borrowed), a
  // chunk at a time; kNotFound if absent, the sink's error if it fails, kIo
  // if the stored bytes are damaged (the sink then holds a prefix).
  virtual Status ReadEnvelope(const EnvelopeId& id, ByteSink& sink) = 0;

  // DescribeEnvelope returns the envelope's sequence, day and size;
  // kNotFound if absent.
  virtual Result<EnvelopeInfo> DescribeEnvelope(const EnvelopeId& id) = 0;

  // EnvelopeSize returns the envelope's length; errors as DescribeEnvelope.
  Result<std::uint64_t> EnvelopeSize(const EnvelopeId& id);

  // ListEnvelopes returns up to `max_count` export-queue entries with a
  // sequence number above `after_seq`, in increasing order; kLimitExceeded if
  // max_count exceeds kMaxStoreListEnvelopes.
  virtual Result<std::vector<QueuedEnvelope>> ListEnvelopes(std::uint64_t after_seq,
                                                            std::size_t max_count) = 0;

  // DeleteEnvelopes purges envelopes (bytes, record, queue entry) after the
  // workstation acknowledged their import, and returns how many existed; ids
  // already gone are skipped, so a repeated acknowledgement is harmless.
  // kLimitExceeded for more than kMaxStoreDeleteEnvelopes ids.
  virtual Result<std::size_t> DeleteEnvelopes(std::span<const EnvelopeId> ids) = 0;

  // TakeExportNumber durably consumes and returns the next export number,
  // from 1: every export a node signs has its own, so the workstation can
  // tell a replayed export from a new one.
  virtual Result<std::uint64_t> TakeExportNumber() = 0;

  // ContinueExportsAfter makes the next export number at least
  // `last_exported` + 1, never lower, and records that in the audit chain,
  // in one write; it returns the next export number. For a node restored
  // from a backup older than its last export, so that the workstation does
  // not take its next export for a replay. kLimitExceeded past
  // kMaxExportNumber; kInvalidArgument for a day out of range.
  virtual Result<std::uint64_t> ContinueExportsAfter(Day day, std::uint64_t last_exported) = 0;

  // CompactAll rewrites every table and blob file so that nothing deleted
  // stays in a live file: after DeleteEnvelopes and CompactAll, no file of
  // the store holds those envelopes' bytes. kIo if the database refuses.
  virtual Status CompactAll() = 0;

  // WriteCheckpoint writes a consistent copy of the whole store, holding at
  // least everything acknowledged before the call, into the folder
  // kCheckpointFolderName inside the store's folder, replacing one left
  // there. The caller (amparo-admin backup) moves it away and removes it:
  // until then it keeps purged envelopes' bytes alive. kIo on failure.
  virtual Status WriteCheckpoint() = 0;

  // --- key bundle -----------------------------------------------------------

  // PutKeyBundle installs a signed key bundle the caller has verified.
  // kKeyBundleRollback for a version below the installed one, or the same
  // version with different bytes; the same version with identical bytes
  // changes nothing and succeeds. kInvalidArgument for version 0 or empty
  // bytes; kLimitExceeded above kMaxStoreKeyBundleBytes.
  virtual Status PutKeyBundle(std::uint64_t version,
                              std::span<const std::uint8_t> signed_bytes) = 0;

  // CurrentKeyBundle returns a copy of the installed bundle, or nullopt.
  virtual Result<std::optional<KeyBundleRecord>> CurrentKeyBundle() = 0;

  // --- operator audit chain -------------------------------------------------

  // AppendAudit records an operator event (printable ASCII, 1 to
  // kMaxStoreAuditEventBytes characters, else kInvalidArgument or
  // kLimitExceeded) and returns its sequence number, from 1. The text must
  // never describe a submission.
  virtual Result<std::uint64_t> AppendAudit(Day day, std::string_view event_text) = 0;

  // VerifyAuditChain recomputes every record's hash and link and reports the
  // first broken one.
  virtual Result<AuditVerdict> VerifyAuditChain() = 0;

  // --- follow-up mailboxes ---------------------------------------------------

  // PlaceReplies places a replies file's sealed replies, atomically, and
  // returns how many were new: a reply already placed changes nothing, so a
  // file imported twice is harmless. A mailbox keeps its newest
  // kMailboxSlots replies: placing more removes the oldest. kConflict, with
  // nothing changed, if batch_number is below the highest placed (a replay
  // of old replies); kInvalidArgument for batch 0, a zero id or an empty
  // reply; kLimitExceeded past kMaxRepliesPerFile replies or a reply over
  // kMaxSealedReplyBytes.
  virtual Result<std::size_t> PlaceReplies(std::uint64_t batch_number,
                                           std::span<const StoredReply> replies, Day day) = 0;

  // ListReplies returns the mailbox's replies, newest first (at most
  // kMailboxSlots); empty for a mailbox that does not exist.
  virtual Result<std::vector<ReplyInfo>> ListReplies(const MailboxKey& mailbox) = 0;

  // ReadReply returns a reply's exact bytes; kNotFound if the mailbox holds
  // no such reply.
  virtual Result<std::vector<std::uint8_t>> ReadReply(const MailboxKey& mailbox,
                                                      const ReplyId& id) = 0;

  // ExpireReplies removes the replies placed more than `max_age_days` days
  // before `today`, and returns how many. kInvalidArgument for a negative age.
  virtual Result<std::size_t> ExpireReplies(Day today, std::int64_t max_age_days) = 0;

  // --- accounting -----------------------------------------------------------

  // Stats returns totals and disk use.
  virtual Result<StoreStats> Stats() = 0;
};

}  // namespace amparo::storage
