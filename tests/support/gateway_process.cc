#include "tests/support/gateway_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

extern char** environ;

namespace amparo::test {

namespace {
// kLogDrainTimeout bounds the wait for the rest of a stopped gateway's log.
constexpr std::chrono::milliseconds kLogDrainTimeout{2000};
}  // namespace

GatewayProcess::~GatewayProcess() {
  if (pid_ > 0) Stop(SIGKILL);
  if (fd_ >= 0) ::close(fd_);
}

bool GatewayProcess::Start(const std::string& binary, const std::string& config,
                           std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::string arg0 = binary, arg1 = "-c", arg2 = config;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  fd_ = fds[0];
  if (spawned != 0) {
    pid_ = -1;
    log_ = "cannot spawn " + binary + "\n";
    return false;
  }
  ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (const std::uint16_t port = ParsePort(); port != 0) {
      port_ = port;
      return true;
    }
    if (!ReadLog(deadline)) break;  // the gateway ended
  }
  return false;
}

void GatewayProcess::DrainUntil(Clock::time_point deadline) {
  while (Clock::now() < deadline && ReadLog(deadline)) {
  }
}

int GatewayProcess::Stop(int signal) {
  int status = 0;
  if (pid_ > 0) {
    ::kill(pid_, signal);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  const auto deadline = Clock::now() + kLogDrainTimeout;
  while (fd_ >= 0 && Clock::now() < deadline && ReadLog(deadline)) {
  }
  return status;
}

bool GatewayProcess::ReadLog(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0))) <= 0) {
    return true;
  }
  char buffer[4096];
  const ssize_t n = ::read(fd_, buffer, sizeof buffer);
  if (n > 0) {
    log_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  ::close(fd_);
  fd_ = -1;
  return false;
}

std::uint16_t GatewayProcess::ParsePort() const {
  constexpr std::string_view kMarker = "listening on port ";
  const std::size_t at = log_.find(kMarker);
  if (at == std::string::npos) return 0;
  const std::size_t end = log_.find('\n', at);
  if (end == std::string::npos) return 0;
  unsigned value = 0;
  for (std::size_t i = at + kMarker.size(); i < end; ++i) {
    if (log_[i] < '0' || log_[i] > '9' || value > 65535) return 0;
    value = value * 10 + static_cast<unsigned>(log_[i] - '0');
  }
  if (value > 65535) return 0;
  return static_cast<std::uint16_t>(value);
}

}  // namespace amparo::test
