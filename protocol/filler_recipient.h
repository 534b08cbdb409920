#pragma once
// filler_recipient.h: the filler stanzas that pad every envelope to the same
// stanza count (proto/ENVELOPE.md section 4.1), so that nobody without a
// recipient's secret key can tell how many bodies a person wrote to.

#include "common/result.h"
#include "crypto/age_format.h"
#include "crypto/random.h"
#include "crypto/recipients.h"

namespace amparo::protocol {

// FillerRecipient makes a stanza addressed to nobody: type X25519, as share
// the X25519 public key of a fresh random scalar, computed by the same code
// as a real share and discarded with the scalar, and as body 32 uniformly
// random bytes. Random bytes would not do as the share: half of them have
// the top bit set, and most of the rest are not a point of the prime-order
// subgroup, both public tests. Wrap ignores the file key.
class FillerRecipient final : public crypto::age::Recipient {
 public:
  Result<crypto::age::Stanza> Wrap(const crypto::age::FileKey& file_key,
                                   crypto::RandomSource& random) const override;
};

}  // namespace amparo::protocol
