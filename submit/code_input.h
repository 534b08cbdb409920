#pragma once
// code_input.h: reading a receipt code without it reaching the command line
// (where other local users see it in the process list) or a terminal's
// scroll-back: from a file descriptor, or typed at the terminal with echo
// off. The result is canonical (crypto/receipt_code.h) and in locked memory.

#include <optional>

#include "common/result.h"
#include "crypto/secret.h"

namespace amparo::submit {

// ReadReceiptCode reads a code from `fd` if given, else prompts on the
// controlling terminal; kInvalidArgument for a code that does not read
// (FOLLOWUP.md section 1), kIo if there is nothing to read it from.
Result<crypto::SecretBuffer> ReadReceiptCode(std::optional<int> fd);

}  // namespace amparo::submit
