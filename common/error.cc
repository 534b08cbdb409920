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
  }
  std::abort();  // unreachable: the enum is closed
}

}  // namespace amparo
