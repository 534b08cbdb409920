#pragma once
// envelope_sealer.h: seals valid envelopes against a site's signed key
// bundle, as a client would, for the integration drivers that post them to a
// real gateway. The gateway validates everything it can without a key, so
// these must be real envelopes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "protocol/key_bundle.h"

namespace amparo::test {

using Sha256Digest = std::array<std::uint8_t, 32>;

// SealedEnvelope is one envelope as sent: its bytes, their SHA-256 and the
// length of its head (framing, EnvelopeHeader and age header).
struct SealedEnvelope {
  std::string bytes;
  Sha256Digest digest{};
  std::size_t head_length = 0;
};

// EnvelopeSealer seals to the first body that has a key today.
class EnvelopeSealer {
 public:
  // Create verifies the bundle file against the root fingerprint (in its
  // text form); the error says why it cannot be used.
  static Result<EnvelopeSealer> Create(const std::string& key_bundle_path,
                                       const std::string& root_fingerprint);

  // Seal returns a new envelope whose narrative is `narrative` and which
  // carries `attachment_bytes` bytes of attachment, each `fill` (none if 0).
  // Envelopes differ whatever their plaintext: each has its own file key.
  // Thread-safe.
  Result<SealedEnvelope> Seal(std::string_view narrative, std::size_t attachment_bytes,
                              std::uint8_t fill) const;

 private:
  EnvelopeSealer(protocol::VerifiedKeyBundle bundle, Day today, std::string body)
      : bundle_(std::move(bundle)), today_(today), body_(std::move(body)) {}

  protocol::VerifiedKeyBundle bundle_;
  Day today_;
  std::string body_;
};

}  // namespace amparo::test
