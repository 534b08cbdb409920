#pragma once
// passphrase_input.h: reading the keystore passphrase, from the terminal
// without echo, or from a descriptor for scripts and tests. It goes straight
// to locked memory and is never printed.

#include <string_view>

#include "common/result.h"
#include "crypto/secret.h"

namespace amparo::reviewer {

// ReadPassphraseFromFd reads the passphrase from an open descriptor: all of
// it up to end of file, less one trailing newline. kInvalidArgument if it is
// empty, kLimitExceeded if longer than limits::kMaxPassphraseBytes, kIo if
// the read fails.
Result<crypto::SecretBuffer> ReadPassphraseFromFd(int fd);

// ReadPassphraseFromTerminal prompts on the controlling terminal and reads a
// line with echo off. kUnavailable without a terminal; otherwise as above.
Result<crypto::SecretBuffer> ReadPassphraseFromTerminal(std::string_view prompt);

}  // namespace amparo::reviewer
