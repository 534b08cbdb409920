#include "common/exit_code.h"

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
  }
  return kExitUsage;
}

}  // namespace amparo
