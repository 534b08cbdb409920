#pragma once
// error.h: the closed vocabulary of failures shared by every module.

#include <cstdint>
#include <string_view>

namespace amparo {

// Error names every way an operation can fail. The age classes mirror the C2SP
// CCTV failure classes so that a parse bug can never pass for a MAC failure.
enum class Error : std::uint8_t {
  kArmor,            // ASCII armor is not the strict PEM encoding age requires
  kHeader,           // age header is malformed, non-canonical or unsupported
  kNoMatch,          // no identity could unwrap any recipient stanza
  kHmac,             // header MAC does not verify under the unwrapped file key
  kPayload,          // payload is truncated, forged or not properly terminated
  kInvalidKey,       // a key or recipient string is malformed
  kInvalidArgument,  // caller-supplied input out of range (not attacker bytes)
  kLimitExceeded,    // input larger than a compiled limit allows
  kIo,               // the operating system refused a read or a write
  kMalformedEnvelope,        // envelope framing or header not as ENVELOPE.md says
  kUnsupportedFormatVersion, // envelope format version this build does not know
  kStaleKeyBundle,           // sealed against a key bundle the gateway no longer accepts
  kPaddedLengthNotBucket,    // declared padded length is not an allowed bucket
  kLengthMismatch,           // envelope length differs from what its header implies
  kBadSignature,             // a signature or the chain to the pinned root does not verify
  kKeyBundleRollback,        // a key bundle not newer than the installed one
  kNotFound,                 // no such record (upload, envelope, bundle)
  kConflict,                 // out-of-order or duplicate write (e.g. upload offset)
  kUnavailable,              // storage or service temporarily unable to proceed
  kMalformedTransfer,        // an export or acknowledgement file is not as specified
  kBadPassphrase,            // the keystore does not open: wrong passphrase or damaged
  kRefused,                  // a policy forbids the action (a missing consent, a key in use)
  kRateLimited,              // too many requests for one mailbox; try again later
};

// ErrorName returns a fixed, human-readable description. It never contains
// data from the input, so it is safe to print and to log.
std::string_view ErrorName(Error error);

}  // namespace amparo
