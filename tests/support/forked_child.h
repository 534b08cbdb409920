#pragma once
// forked_child.h: runs a function in a child process and reports how it
// ended and what it wrote to stderr, for tests of process-wide changes
// (system call filters, Landlock, dropped privileges) that must not reach
// the test runner itself.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace amparo::test {

struct ChildOutcome {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  std::string stderr_text;
};

// RunInChild forks, runs body in the child with its stderr sent to a pipe,
// and exits the child with body's result; aborts if fork or pipe fail.
inline ChildOutcome RunInChild(const std::function<int()>& body) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) std::abort();
  const pid_t pid = ::fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::_exit(body());
  }
  ::close(pipe_fds[1]);
  ChildOutcome outcome;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    outcome.stderr_text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.exited = WIFEXITED(status);
  if (outcome.exited) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  return outcome;
}

}  // namespace amparo::test
