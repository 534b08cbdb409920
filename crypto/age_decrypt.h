#pragma once
// age_decrypt.h: streaming age v1 decryption (the opening side).

#include <span>

#include "common/io.h"
#include "common/result.h"
#include "crypto/identities.h"

namespace amparo::crypto::age {

// Decrypt reads one binary age file from `in` and writes its plaintext to
// `out`, one verified 64 KiB chunk at a time; memory is bounded by one chunk
// and the header, whatever the file size. Errors, in the CCTV classes:
// kHeader (malformed header or missing nonce), kNoMatch (no identity opens a
// stanza), kHmac (header MAC), kPayload (a chunk fails, the stream is cut or
// not properly terminated); kIo and kArmor pass through from `in` and `out`.
// Chunks written before a failure were individually authenticated but the
// file as a whole was not: the caller must discard them unless Decrypt
// returns success.
Status Decrypt(std::span<const Identity* const> identities, ByteSource& in, ByteSink& out);

}  // namespace amparo::crypto::age
