#include "submit/code_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <string>

#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/receipt_code.h"

namespace amparo::submit {
namespace {

// ReadFromTerminal prompts on /dev/tty and reads one line with echo off.
Result<std::string> ReadFromTerminal() {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0) return Error::kIo;
  constexpr char kPrompt[] = "Receipt code: ";
  (void)!::write(tty, kPrompt, sizeof kPrompt - 1);
  termios saved{};
  const bool is_tty = ::tcgetattr(tty, &saved) == 0;
  if (is_tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  std::string line;
  line.reserve(limits::kMaxReceiptCodeTextBytes + 1);  // never reallocated: no copy left behind
  char c = 0;
  while (line.size() <= limits::kMaxReceiptCodeTextBytes && ::read(tty, &c, 1) == 1 && c != '\n') {
    line.push_back(c);
  }
  if (is_tty) ::tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  c = 0;
  return line;
}

}  // namespace

Result<crypto::SecretBuffer> ReadReceiptCode(std::optional<int> fd) {
  auto text = fd ? ReadSmallFd(*fd, limits::kMaxReceiptCodeTextBytes + 2) : ReadFromTerminal();
  if (!text.ok()) return text.error() == Error::kLimitExceeded ? Error::kInvalidArgument : text.error();
  auto code = crypto::CanonicalReceiptCode(text.value());
  crypto::Wipe(std::span(reinterpret_cast<std::uint8_t*>(text.value().data()), text.value().size()));
  if (!code.ok()) return Error::kInvalidArgument;
  return code;
}

}  // namespace amparo::submit
