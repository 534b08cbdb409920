#include "common/error.h"

#include <cstdlib>

namespace amparo {

std::string_view ErrorName(Error error) {
  switch (error) {
    case Error::kArmor: return "armor failure: malformed ASCII armor";
    case Error::kHeader: return "header failure: malformed or unsupported age header";
    case Error::kNoMatch: return "no match: no identity matched any recipient";
    case Error::kHmac: return "HMAC failure: header authentication failed";
    case Error::kPayload: return "payload failure: payload truncated or corrupted";
    case Error::kInvalidKey: return "invalid key encoding";
    case Error::kInvalidArgument: return "invalid argument";
    case Error::kLimitExceeded: return "input exceeds a size limit";
    case Error::kIo: return "input/output error";
    case Error::kMalformedEnvelope: return "malformed envelope";
    case Error::kUnsupportedFormatVersion: return "unsupported envelope format version";
    case Error::kStaleKeyBundle: return "stale key bundle: fetch the current keys and seal again";
    case Error::kPaddedLengthNotBucket: return "padded length is not an allowed bucket";
    case Error::kLengthMismatch: return "envelope length does not match its header";
    case Error::kBadSignature: return "signature does not verify";
    case Error::kKeyBundleRollback: return "key bundle is not newer than the installed one";
    case Error::kNotFound: return "not found";
    case Error::kConflict: return "conflicting or out-of-order request";
    case Error::kUnavailable: return "temporarily unavailable";
    case Error::kMalformedTransfer: return "malformed transfer file";
    case Error::kBadPassphrase: return "wrong passphrase, or the keystore is damaged";
    case Error::kRefused: return "refused by policy";
    case Error::kRateLimited: return "rate limited";
  }
  std::abort();  // unreachable: the enum is closed
}

}  // namespace amparo
