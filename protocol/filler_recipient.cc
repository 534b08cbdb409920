#include "protocol/filler_recipient.h"

#include "crypto/keys.h"
#include "protocol/envelope_format.h"

namespace amparo::protocol {

Result<crypto::age::Stanza> FillerRecipient::Wrap(const crypto::age::FileKey& /*file_key*/,
                                                  crypto::RandomSource& random) const {
  // An X25519 wrap computes its share as the base-point multiple of a fresh
  // scalar, exactly as a real stanza's; that share is all it is used for.
  // It wraps a throwaway key, never the file key, to the base point (u = 9):
  // any valid point would do, and its body is replaced.
  static const crypto::X25519PublicKey kBasePoint{{9}};
  const crypto::age::X25519Recipient share_source(kBasePoint);
  const crypto::age::FileKey throwaway;
  auto stanza = share_source.Wrap(throwaway, random);
  if (!stanza.ok()) return stanza.error();
  crypto::age::Stanza filler = std::move(stanza).value();
  filler.body.assign(kStanzaBodySize, 0);
  random.Fill(filler.body);
  return filler;
}

}  // namespace amparo::protocol
