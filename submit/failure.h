#pragma once
// failure.h: amparo-submit's one failure line and its exit code.

#include <ostream>
#include <string_view>

#include "common/error.h"
#include "common/exit_code.h"

namespace amparo::submit {

inline int Fail(std::ostream& err, std::string_view message, int code) {
  return ReportFailure(err, "amparo-submit", message, code);
}

inline int Fail(std::ostream& err, std::string_view message, Error error) {
  return Fail(err, message, ExitCodeFor(error));
}

}  // namespace amparo::submit
