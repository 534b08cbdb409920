#pragma once
// gateway_process.h: one run of the real amparo-gateway binary for the
// integration drivers, its stderr read through a pipe: the port comes from
// its "listening on port N" line, and the log is kept drained so that the
// gateway never blocks writing it.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace amparo::test {

class GatewayProcess {
 public:
  using Clock = std::chrono::steady_clock;

  GatewayProcess() = default;
  // ~GatewayProcess kills a gateway still running.
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // Start spawns `binary -c config` and waits for its port; false (see
  // log()) if it cannot be spawned, ends, or names no port within `timeout`.
  bool Start(const std::string& binary, const std::string& config,
             std::chrono::milliseconds timeout);

  // DrainUntil keeps reading the log until `deadline`.
  void DrainUntil(Clock::time_point deadline);

  // Stop sends `signal`, waits for the process and reads the rest of its
  // log; returns the wait status.
  int Stop(int signal);

  // log_open says whether the log can still be read: false once the
  // gateway has exited and its log has been read to the end.
  bool log_open() const { return fd_ >= 0; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  const std::string& log() const { return log_; }

 private:
  // ReadLog appends what the gateway wrote until the deadline or some bytes
  // arrive; false at the end of the log (the gateway has exited).
  bool ReadLog(Clock::time_point deadline);
  // ParsePort reads the port from the log, once the line is complete.
  std::uint16_t ParsePort() const;

  pid_t pid_ = -1;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string log_;
};

}  // namespace amparo::test
