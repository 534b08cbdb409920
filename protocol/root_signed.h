#pragma once
// root_signed.h: the signed wrapper of the files that only the workstation's
// root key may sign (acknowledgements and replies): three length-delimited
// fields, the signed content (1), the signature (2) and the root's public
// key (3), in that order and nothing else.

#include <cstdint>
#include <span>
#include <string_view>

#include "common/byte_reader.h"
#include "common/result.h"
#include "crypto/signatures.h"

namespace amparo::protocol {

// RootSigned is the content whose signature verified, a view into the file,
// and the root that signed it.
struct RootSigned {
  std::span<const std::uint8_t> content;
  crypto::Ed25519PublicKey root;
};

// OpenRootSigned reads the wrapper to the end of `reader` by hand, not with
// libprotobuf, which would turn megabytes of unsigned bytes into millions of
// unknown fields before any check could refuse them. Then the root must be
// one of `accepted_roots` and its signature over the content, in `context`,
// must verify. kMalformedTransfer for any other shape, kBadSignature for an
// unknown root or a signature that does not verify.
Result<RootSigned> OpenRootSigned(ByteReader reader,
                                  std::span<const crypto::Ed25519PublicKey> accepted_roots,
                                  std::string_view context);

}  // namespace amparo::protocol
