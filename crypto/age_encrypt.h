#pragma once
// age_encrypt.h: streaming age v1 encryption (the sealing side).

#include <span>

#include "common/io.h"
#include "common/result.h"
#include "crypto/random.h"
#include "crypto/recipients.h"

namespace amparo::crypto::age {

// Encrypt reads plaintext to its end and writes one binary age file to `out`:
// the header with one stanza per recipient, then the STREAM payload in 64 KiB
// chunks. Memory use is bounded by one chunk whatever the input size.
// kInvalidArgument if there is no recipient or a recipient that must be alone
// is not; kIo from the source or sink. On failure `out` holds an incomplete
// file that the caller must discard.
Status Encrypt(std::span<const Recipient* const> recipients, ByteSource& plaintext,
               ByteSink& out, RandomSource& random);

}  // namespace amparo::crypto::age
