#pragma once
// limits.h: every size and count limit of the project, in one place. A limit
// may be lowered by configuration, never raised past these ceilings. Each one
// has a test at N and at N+1.

#include <cstddef>
#include <cstdint>

namespace amparo::limits {

// kMaxAgeHeaderBytes bounds the textual age header, MAC line included. An
// envelope padded to its fixed stanza count needs a few KiB; 64 KiB leaves room
// for files from other age tools with many recipients.
inline constexpr std::size_t kMaxAgeHeaderBytes = 64 * 1024;

// kMaxAgeStanzas bounds recipient stanzas in one header; each costs an X25519
// operation per identity when opening.
inline constexpr std::size_t kMaxAgeStanzas = 256;

// kMaxStanzaArguments bounds the arguments of one stanza (type included).
inline constexpr std::size_t kMaxStanzaArguments = 16;

// kMaxScryptLogN is the largest scrypt work factor (log2 N) accepted when
// opening; 2^22 needs 4 GiB of memory, and larger values are a denial of
// service. The same ceiling as the reference implementation.
inline constexpr int kMaxScryptLogN = 22;

// kMaxArmorLeadingWhitespace bounds the whitespace accepted before an armored
// file's BEGIN line (a pasted message may carry blank lines); armor detection
// looks that far and no further.
inline constexpr std::size_t kMaxArmorLeadingWhitespace = 64 * 1024;

// kMaxKeyFileBytes bounds identity and recipients files.
inline constexpr std::size_t kMaxKeyFileBytes = 1024 * 1024;

// kMaxPassphraseBytes bounds a passphrase read from a descriptor.
inline constexpr std::size_t kMaxPassphraseBytes = 1024;

}  // namespace amparo::limits

// --- HTTPS gateway ---------------------------------------------------------
namespace amparo::limits {

// kMaxRequestHeaderBytes bounds a request's start line and headers together.
inline constexpr std::size_t kMaxRequestHeaderBytes = 8 * 1024;
// kMaxSubmissionBodyBytes bounds POST /v1/submissions; larger envelopes use
// resumable uploads.
inline constexpr std::size_t kMaxSubmissionBodyBytes = 1024 * 1024;
// kMaxUploadChunkBytes bounds one upload request body, hence the memory one
// upload can hold at a time.
inline constexpr std::size_t kMaxUploadChunkBytes = 1024 * 1024;
// kPacedUploadBytesPerSecond is the rate at which the store writes upload
// chunks while submissions are arriving (storage/group_committer.h); alone,
// uploads go as fast as the disk.
inline constexpr std::size_t kPacedUploadBytesPerSecond = 8 * 1024 * 1024;
// kMaxBufferedBodyBytes bounds the request bodies all connections hold in
// memory together (gateway/body_budget.h): 128 concurrent chunks of the
// largest size. A request whose body would pass it gets 503 before any body
// byte is read.
inline constexpr std::size_t kMaxBufferedBodyBytes = 128 * 1024 * 1024;
// kMaxUnbudgetedBodyBytes is the largest body that takes nothing from that
// budget: a small submission is never refused because large bodies hold it
// all, and the cap times this bounds what small bodies can hold.
inline constexpr std::size_t kMaxUnbudgetedBodyBytes = 64 * 1024;
// kMaxConnections is the ceiling for the configured connection cap.
inline constexpr std::size_t kMaxConnections = 16384;
// kMaxServerThreads is the ceiling for the configured thread pool.
inline constexpr std::size_t kMaxServerThreads = 64;
// Stage timeouts, in seconds: ceilings for the configured values.
inline constexpr int kMaxHandshakeSeconds = 30;
inline constexpr int kMaxHeaderSeconds = 30;
inline constexpr int kMaxBodySeconds = 300;
inline constexpr int kMaxIdleSeconds = 120;

}  // namespace amparo::limits

// ---- Envelopes and key bundles (proto/ENVELOPE.md, section 15) ----
namespace amparo::limits {

// kMaxEnvelopeBytes is the upload ceiling on one envelope (ENVELOPE.md section
// 8, step 0): 1 GiB + 1 MiB, enough for the largest version 1 envelope (1 GiB
// of padded plaintext plus its framing, age header and tags).
inline constexpr std::uint64_t kMaxEnvelopeBytes = (1024ull + 1) * 1024 * 1024;

// kMaxPaddedLength is the compiled ceiling on the padded plaintext length P,
// 1 GiB (itself a bucket); a gateway's configuration may lower it, never
// raise it.
inline constexpr std::uint64_t kMaxPaddedLength = 1024ull * 1024 * 1024;

// kMaxSubmissionMessageBytes bounds the serialized Submission S inside the
// plaintext; a conforming Submission stays under 600 KiB.
inline constexpr std::size_t kMaxSubmissionMessageBytes = 1024 * 1024;

// kMaxAttachments bounds the attachment streams after the Submission.
inline constexpr std::size_t kMaxAttachments = 32;

// kMaxBodiesPerEnvelope bounds the real recipient stanzas of one envelope: the
// fixed stanza count leaves no room for more.
inline constexpr std::size_t kMaxBodiesPerEnvelope = 8;

// kMaxSignedKeyBundleBytes bounds a SignedKeyBundle before it is parsed.
inline constexpr std::size_t kMaxSignedKeyBundleBytes = 132 * 1024;

// kMaxKeyBundleBytes bounds the signed KeyBundle bytes inside it.
inline constexpr std::size_t kMaxKeyBundleBytes = 128 * 1024;

// kMaxKeysPerBundle bounds the recipient keys of one bundle.
inline constexpr std::size_t kMaxKeysPerBundle = 64;

// kMaxRevokedKeyIds bounds the revoked key ids of one bundle.
inline constexpr std::size_t kMaxRevokedKeyIds = 1024;

// kMaxRootChainLength bounds the root endorsements of one bundle: each costs
// a signature verification.
inline constexpr std::size_t kMaxRootChainLength = 16;

// kMaxKeyIdBytes, kMaxBodyCodeBytes and kMaxKeyLabelBytes bound the text
// fields of a recipient key (key_bundle.proto).
inline constexpr std::size_t kMaxKeyIdBytes = 64;
inline constexpr std::size_t kMaxBodyCodeBytes = 32;
inline constexpr std::size_t kMaxKeyLabelBytes = 256;

// kMaxDay is the last day a key bundle may name, 9999-12-31 in days since
// 1970-01-01.
inline constexpr std::int64_t kMaxDay = 2932896;
// IsDayInRange says whether a signed file may name `day`: 0 to kMaxDay.
inline constexpr bool IsDayInRange(std::int64_t day) { return day >= 0 && day <= kMaxDay; }

}  // namespace amparo::limits

// --- Uploads ----------------------------------------------------------------
namespace amparo::limits {

// kMaxUploadBytes is the ceiling of the configurable envelope upload maximum:
// the envelope ceiling itself.
inline constexpr std::uint64_t kMaxUploadBytes = kMaxEnvelopeBytes;
// kMaxUploadExpiryDays is the ceiling for keeping an unfinished upload.
inline constexpr int kMaxUploadExpiryDays = 30;

// --- storage ---------------------------------------------------------------

// kMaxStoredEnvelopeBytes bounds one stored envelope, put whole or assembled
// by a resumable upload: the upload ceiling of ENVELOPE.md (the largest
// version 1 envelope, 1074004863 bytes, fits).
inline constexpr std::size_t kMaxStoredEnvelopeBytes = kMaxEnvelopeBytes;

// kMaxStorePutEnvelopeBytes bounds an envelope handed to the store whole in
// one call, which the caller holds in memory; larger envelopes go through a
// resumable upload.
inline constexpr std::size_t kMaxStorePutEnvelopeBytes = 16 * 1024 * 1024;

// kMaxStoreAppendBytes bounds the bytes of one upload append (and the head
// given when an upload is created), so that memory per upload stays bounded.
inline constexpr std::size_t kMaxStoreAppendBytes = 4 * 1024 * 1024;

// kMaxStoreOpenUploads bounds the upload sessions open at once; each can
// reserve up to kMaxStoredEnvelopeBytes of disk.
inline constexpr std::size_t kMaxStoreOpenUploads = 1024;

// kMaxExportNumber bounds the export number a restored node may be told to
// continue after (amparo-admin restore --after-export): a weekly export
// would need tens of millions of years to reach it, and the next number
// cannot wrap.
inline constexpr std::uint64_t kMaxExportNumber = std::uint64_t{1} << 32;

// kMaxStoreQueuedWrites bounds the writes waiting for the group committer;
// beyond it a write is refused as unavailable rather than queued.
inline constexpr std::size_t kMaxStoreQueuedWrites = 4096;

// kMaxStoreListEnvelopes bounds the export-queue entries returned by one
// listing; an exporter pages through a longer queue.
inline constexpr std::size_t kMaxStoreListEnvelopes = 65536;

// kMaxStoreDeleteEnvelopes bounds the ids purged by one call.
inline constexpr std::size_t kMaxStoreDeleteEnvelopes = 4096;

// kMaxStoreKeyBundleBytes bounds a stored signed key bundle: the
// SignedKeyBundle ceiling of ENVELOPE.md (132 KiB).
inline constexpr std::size_t kMaxStoreKeyBundleBytes = kMaxSignedKeyBundleBytes;

// kMaxStoreAuditEventBytes bounds the text of one operator audit event.
inline constexpr std::size_t kMaxStoreAuditEventBytes = 1024;

// kMaxStoreDay is the last day storage accepts (kMaxDay, 9999-12-31); the
// first is day 0.
inline constexpr long long kMaxStoreDay = kMaxDay;

}  // namespace amparo::limits

// --- The gateway's control socket (storage/control_protocol.h) ---------------
namespace amparo::limits {

// kMaxControlFrameBytes bounds one framed control message either way. The
// largest are a sealed follow-up reply with its mailbox and id (at most
// kMaxSealedReplyBytes, 4 MiB + 4 KiB), a listing of kMaxStoreListEnvelopes
// entries (at most 28 bytes each: a 10-byte sequence varint and an 18-byte id
// field, about 1.75 MiB), an envelope chunk (1 MiB) and a key bundle.
inline constexpr std::size_t kMaxControlFrameBytes = 8 * 1024 * 1024;

// kControlIoSeconds bounds each read and write on a control connection, so
// that a client that stops answering cannot hold the control thread, nor a
// graceful stop of the gateway, for longer.
inline constexpr int kControlIoSeconds = 30;

}  // namespace amparo::limits

// --- Anonymous follow-up (proto/FOLLOWUP.md) ------------------------------------
namespace amparo::limits {

// kReceiptCodeWords is the length of a receipt code: 10 words of 11 bits.
inline constexpr std::size_t kReceiptCodeWords = 10;
// kMaxReceiptCodeTextBytes bounds a typed receipt code before it is read.
inline constexpr std::size_t kMaxReceiptCodeTextBytes = 256;

// kMailboxSlots is the number of reply ids every listing holds, and the
// most replies a mailbox keeps.
inline constexpr std::size_t kMailboxSlots = 16;
// kMaxMailboxRequestBytes bounds the body of a mailbox request.
inline constexpr std::size_t kMaxMailboxRequestBytes = 128;
// kMaxMailboxRequestsPerHour is the ceiling of the configured per-mailbox
// request rate.
inline constexpr int kMaxMailboxRequestsPerHour = 600;
// kMaxTrackedMailboxes bounds the rate limiter's memory: past it, the
// oldest counts are dropped.
inline constexpr std::size_t kMaxTrackedMailboxes = 65536;
// kMaxMailboxRetentionDays is the ceiling of the configured reply retention.
inline constexpr int kMaxMailboxRetentionDays = 365;

// kMaxReplyMessageBytes bounds the serialized Reply inside a reply's
// plaintext, kMaxReplyTextBytes its text, kMaxReplyAttachments its files.
inline constexpr std::size_t kMaxReplyMessageBytes = 64 * 1024;
inline constexpr std::size_t kMaxReplyTextBytes = 32 * 1024;
inline constexpr std::size_t kMaxReplyAttachments = 8;
// kMaxReplyPaddedBytes bounds a reply's padded plaintext (a Padmé bucket).
inline constexpr std::uint64_t kMaxReplyPaddedBytes = 4 * 1024 * 1024;
// kMaxSealedReplyBytes bounds a sealed reply: the plaintext, 16 bytes per
// 64 KiB chunk, the nonce and an age header with one stanza.
inline constexpr std::size_t kMaxSealedReplyBytes = kMaxReplyPaddedBytes + 4 * 1024;

// kMaxRepliesPerFile and kMaxRepliesFileBytes bound one replies file.
inline constexpr std::size_t kMaxRepliesPerFile = 256;
inline constexpr std::size_t kMaxRepliesFileBytes = 64 * 1024 * 1024;

}  // namespace amparo::limits

// --- The workstation ---------------------------------------------------------
namespace amparo::limits {

// kMaxKeystoreFileBytes bounds the sealed keystore read at every command. It
// holds keys and an index of imported cases (about 100 bytes each), not the
// cases themselves: 64 MiB is room for half a million cases.
inline constexpr std::size_t kMaxKeystoreFileBytes = 64 * 1024 * 1024;

// Casework (reviewer/casework_commands.h): who records a change (a focal
// point's name, also the assignee), its note, and the changes one case
// keeps. A full history of notes is 512 KiB: the keystore holds about a
// hundred cases with a full one, and the commands refuse more, never lose.
inline constexpr std::size_t kMaxCaseEventByBytes = 128;
inline constexpr std::size_t kMaxCaseEventNoteBytes = 1024;
inline constexpr std::size_t kMaxCaseHistoryEvents = 512;

}  // namespace amparo::limits

// --- Transfer files (proto/ENVELOPE.md, section 16) ---------------------------
namespace amparo::limits {

// kMaxExportEntries bounds the envelopes of one export file, and the ids of
// one acknowledgement. A gateway with more waiting writes several exports.
inline constexpr std::size_t kMaxExportEntries = 1'000'000;

// kMaxExportManifestBytes bounds the SignedExportManifest of an export file
// before it is read. At their largest valid values an ExportEntry encodes to
// 74 bytes (id 18, seq 11, length 6, sha256 34, day 5) and takes 76 inside
// the manifest; the manifest's other fields at most 61 (key 34, export
// number 11, day 5, next seq 11), the signed wrapper 71 more (5 + 66).
// kMaxExportEntries entries thus need at most 76000132 bytes
// (72.5 MiB); 96 MiB leaves a margin without letting an unsigned file make a
// reader buffer much more than the largest real one.
inline constexpr std::size_t kMaxExportManifestBytes = 96 * 1024 * 1024;

// kMaxAcknowledgementFileBytes bounds a whole acknowledgement file before it
// is read. Each id takes 18 bytes (tag, length, 16 bytes), the other fields
// of the Acknowledgement at most 50 (key 34, export number 11, day 5), the
// signed wrapper 105 more (5 + 66 + 34) and the file's magic and version 5:
// kMaxExportEntries ids need at most 18000160 bytes (17.2 MiB); the ceiling
// is 24 MiB.
inline constexpr std::size_t kMaxAcknowledgementFileBytes = 24 * 1024 * 1024;

}  // namespace amparo::limits
