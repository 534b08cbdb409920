#pragma once
// write_requests.h: what each kind of write stages in a batch. Every function
// runs on the committer thread, reads the state it depends on through the
// view (which includes what earlier requests of the batch staged), checks it,
// and stages its records. On failure it returns the error; the committer then
// rolls its batch entries back and nothing of it is written or published.
// Arguments were validated by the caller (ids set, days and sizes in range).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "storage/envelope_store.h"
#include "storage/staged_view.h"

namespace amparo::storage {

// StagePutEnvelope stores `bytes` as envelope `id`, next in the export queue;
// kConflict if the id exists.
Status StagePutEnvelope(StagedView& view, const EnvelopeId& id,
                        std::span<const std::uint8_t> bytes, Day day);

// StageCreateUpload opens a session holding `head`; kConflict if the id is in
// use, kUnavailable if `max_open_uploads` sessions are open.
Status StageCreateUpload(StagedView& view, const UploadId& upload, std::uint64_t total,
                         std::span<const std::uint8_t> head, Day day,
                         std::size_t max_open_uploads);

// StageAppendUpload stores `bytes` at `offset` and advances the session in
// the same batch; kNotFound, kConflict (offset is not the committed length)
// or kLimitExceeded (past the declared total).
Status StageAppendUpload(StagedView& view, const UploadId& upload, std::uint64_t offset,
                         std::span<const std::uint8_t> bytes);

// StageFinalizeUpload turns a complete session into envelope `envelope`:
// kNotFound, or kConflict if incomplete or the envelope id exists.
Status StageFinalizeUpload(StagedView& view, const UploadId& upload, const EnvelopeId& envelope,
                           Day day);

// StageExpireUploads removes sessions created more than max_age_days before
// `today`, with their bytes, and returns how many.
Result<std::size_t> StageExpireUploads(StagedView& view, Day today, std::int64_t max_age_days);

// StagePlaceReplies places replies as EnvelopeStore::PlaceReplies says and
// returns how many were new; the caller has checked the arguments.
Result<std::size_t> StagePlaceReplies(StagedView& view, std::uint64_t batch_number,
                                      std::span<const StoredReply> replies, Day day);

// StageExpireReplies removes replies placed more than max_age_days before
// today and returns how many.
Result<std::size_t> StageExpireReplies(StagedView& view, Day today, std::int64_t max_age_days);

// StageDeleteEnvelopes purges the envelopes that exist among `ids` and
// returns how many did.
Result<std::size_t> StageDeleteEnvelopes(StagedView& view, std::span<const EnvelopeId> ids);

// StagePutKeyBundle installs a newer bundle and drops the old one;
// kKeyBundleRollback as EnvelopeStore::PutKeyBundle describes.
Status StagePutKeyBundle(StagedView& view, std::uint64_t version,
                         std::span<const std::uint8_t> signed_bytes);

// StageTakeExportNumber returns the next export number, from 1, and stages
// its successor.
Result<std::uint64_t> StageTakeExportNumber(StagedView& view);

// StageContinueExportsAfter raises the next export number to at least
// `last_exported` + 1 (the caller bounds it) and returns the next number.
Result<std::uint64_t> StageContinueExportsAfter(StagedView& view, std::uint64_t last_exported);

// StageAppendAudit links a new record to the chain and returns its sequence
// number.
Result<std::uint64_t> StageAppendAudit(StagedView& view, Day day, std::string_view text);

}  // namespace amparo::storage
