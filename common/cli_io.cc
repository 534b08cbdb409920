#include "common/cli_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace amparo {
namespace {
bool IsStandardStream(const std::string& path) { return path.empty() || path == "-"; }
}  // namespace

CommandInput::CommandInput(int fd, bool owned)
    : fd_(fd), owned_(owned), source_(std::make_unique<FdSource>(fd)) {}

CommandInput::CommandInput(CommandInput&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      owned_(std::exchange(other.owned_, false)),
      source_(std::move(other.source_)) {}

CommandInput::~CommandInput() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<CommandInput> CommandInput::Open(const std::string& path) {
  if (IsStandardStream(path)) return CommandInput(STDIN_FILENO, false);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  return CommandInput(fd, true);
}

Result<CommandOutput> CommandOutput::Open(const std::string& path) {
  CommandOutput output;
  if (IsStandardStream(path)) {
    output.stdout_ = std::make_unique<FdSink>(STDOUT_FILENO);
    output.sink_ = output.stdout_.get();
    return output;
  }
  auto file = AtomicFileSink::Create(path);
  if (!file.ok()) return file.error();
  output.file_ = std::move(file).value();
  output.sink_ = output.file_.get();
  return output;
}

bool CommandOutput::is_terminal() const { return stdout_ && ::isatty(STDOUT_FILENO) == 1; }

Status CommandOutput::Commit() { return file_ ? file_->Commit() : OkStatus(); }

}  // namespace amparo
