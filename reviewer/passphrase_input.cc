#include "reviewer/passphrase_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/limits.h"

namespace amparo::reviewer {
namespace {

// ReadInto reads from fd until end of file or, if `line`, a newline, into
// locked memory one byte past the limit, so an overlong passphrase is seen.
Result<crypto::SecretBuffer> ReadInto(int fd, bool line) {
  crypto::SecretBuffer buffer(limits::kMaxPassphraseBytes + 2);
  std::size_t used = 0;
  while (used < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + used, line ? 1 : buffer.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::kIo;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (line && buffer.data()[used - 1] == '\n') break;
  }
  if (used > 0 && buffer.data()[used - 1] == '\n') --used;
  if (used > 0 && buffer.data()[used - 1] == '\r') --used;
  if (used == 0) return Error::kInvalidArgument;
  if (used > limits::kMaxPassphraseBytes) return Error::kLimitExceeded;
  crypto::SecretBuffer passphrase(used);
  std::copy_n(buffer.data(), used, passphrase.data());
  return passphrase;
}

}  // namespace

Result<crypto::SecretBuffer> ReadPassphraseFromFd(int fd) { return ReadInto(fd, false); }

Result<crypto::SecretBuffer> ReadPassphraseFromTerminal(std::string_view prompt) {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0) return Error::kUnavailable;
  termios saved{};
  if (::tcgetattr(tty, &saved) != 0) {
    ::close(tty);
    return Error::kUnavailable;
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  // Never read a passphrase that would be echoed on the screen.
  if (::tcsetattr(tty, TCSAFLUSH, &quiet) != 0) {
    ::close(tty);
    return Error::kUnavailable;
  }
  if (::write(tty, prompt.data(), prompt.size()) < 0) {
    // A prompt that cannot be shown does not stop the read.
  }
  auto passphrase = ReadInto(tty, true);
  ::tcsetattr(tty, TCSAFLUSH, &saved);
  ::close(tty);
  return passphrase;
}

}  // namespace amparo::reviewer
