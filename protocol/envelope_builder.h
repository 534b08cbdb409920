#pragma once
// envelope_builder.h: sealing a submission into an envelope on the
// submitter's device (proto/ENVELOPE.md section 7). The result names no
// recipient: 8 stanzas of one shape in random order, and a size bucket.

#include <cstdint>
#include <span>

#include "common/io.h"
#include "common/result.h"
#include "crypto/random.h"
#include "proto/submission.pb.h"
#include "protocol/key_bundle.h"
#include "protocol/plaintext_framing.h"

namespace amparo::protocol {

// SealRequest is everything an envelope is made of; it borrows all of it.
// The chosen bodies are submission.bodies(), and submission.attachments()
// is the manifest that `attachments` follows, entry for entry.
struct SealRequest {
  const VerifiedKeyBundle& bundle;
  std::int64_t today;
  const v1::Submission& submission;
  std::span<const AttachmentStream> attachments;
};

// SealEnvelope writes one envelope to `out`: "AMPE", u16be(L), the canonical
// EnvelopeHeader, then a binary age file sealed to one key per chosen body
// (SelectKeysForBodies) and filler stanzas up to 8, in uniformly shuffled
// order, over the framed plaintext padded to its bucket. File key, nonce,
// shares, filler bodies and the order all come from `random`, which must be
// the system's cryptographic source outside tests. Memory stays bounded
// whatever the attachments' sizes; attachment sources are read one call at
// a time but possibly from a worker thread. Errors, before anything is written:
// kInvalidArgument for no body or more than 8, a body given twice or with no
// key, submission.key_bundle_version() not the bundle's version, or
// attachments that do not match the manifest's count and lengths;
// kExpiredKeyBundle for an expired bundle; kLimitExceeded if the Submission
// is over 1 MiB, there are more than 32 attachments or the content would not
// fit in the largest bucket. Afterwards: kInvalidArgument if an attachment
// yields more or fewer bytes than declared, kIo and others from the sources
// and `out`; `out` then holds an incomplete envelope the caller must discard.
Status SealEnvelope(const SealRequest& request, ByteSink& out, crypto::RandomSource& random);

}  // namespace amparo::protocol
