#include "common/exit_code.h"

#include <ostream>

namespace amparo {

int ExitCodeFor(Error error) {
  switch (error) {
    case Error::kArmor: return kExitArmor;
    case Error::kHeader: return kExitHeader;
    case Error::kNoMatch: return kExitNoMatch;
    case Error::kHmac: return kExitHmac;
    case Error::kPayload: return kExitPayload;
    case Error::kInvalidKey: return kExitInvalidKey;
    case Error::kIo: return kExitIo;
    case Error::kInvalidArgument:
    case Error::kLimitExceeded: return kExitUsage;
    case Error::kMalformedEnvelope:
    case Error::kUnsupportedFormatVersion:
    case Error::kStaleKeyBundle:
    case Error::kPaddedLengthNotBucket:
    case Error::kLengthMismatch:
    case Error::kKeyBundleRollback:
    case Error::kNotFound:
    case Error::kConflict:
    case Error::kMalformedTransfer:
    case Error::kRefused: return kExitRejected;
    case Error::kBadPassphrase: return kExitBadPassphrase;
    case Error::kBadSignature: return kExitBadSignature;
    case Error::kUnavailable:
    case Error::kRateLimited: return kExitUnavailable;
  }
  return kExitUsage;
}

int ReportFailure(std::ostream& err, std::string_view tool, std::string_view message, int code) {
  err << tool << ": error: " << message << '\n';
  return code;
}

}  // namespace amparo
