#pragma once
// exit_code.h: the command-line tools' exit codes, one per failure class, so
// that scripts (and tests) can tell a parse bug from a MAC failure.

#include <ostream>
#include <string_view>

#include "common/error.h"

namespace amparo {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitIo = 2;
inline constexpr int kExitArmor = 3;
inline constexpr int kExitHeader = 4;
inline constexpr int kExitNoMatch = 5;
inline constexpr int kExitHmac = 6;
inline constexpr int kExitPayload = 7;
inline constexpr int kExitInvalidKey = 8;
inline constexpr int kExitRejected = 9;      // the other side refused the input
inline constexpr int kExitBadSignature = 10; // a signature or root chain failed
inline constexpr int kExitUnavailable = 11;  // temporarily unavailable; try again
inline constexpr int kExitBadPassphrase = 12; // the keystore did not open

// ExitCodeFor maps an error to the exit code of its class.
int ExitCodeFor(Error error);

// ReportFailure writes the tools' one failure line, "TOOL: error: MESSAGE",
// to `err` and returns `code`, to be the process's exit status.
int ReportFailure(std::ostream& err, std::string_view tool, std::string_view message, int code);

}  // namespace amparo
