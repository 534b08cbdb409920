#pragma once
// cli_io.h: the command-line tools' input and output, following age's
// conventions: standard input and output unless a path is given.

#include <memory>
#include <string>

#include "common/file_io.h"
#include "common/io.h"
#include "common/result.h"

namespace amparo {

// CommandInput reads a named file, or standard input for "" and "-".
class CommandInput {
 public:
  static Result<CommandInput> Open(const std::string& path);
  CommandInput(CommandInput&& other) noexcept;
  CommandInput& operator=(CommandInput&&) = delete;
  ~CommandInput();
  ByteSource& source() { return *source_; }

 private:
  CommandInput(int fd, bool owned);
  int fd_;
  bool owned_;
  std::unique_ptr<FdSource> source_;
};

// CommandOutput writes to a named file that appears only once Commit
// succeeds, or to standard output for "" and "-".
class CommandOutput {
 public:
  static Result<CommandOutput> Open(const std::string& path);
  ByteSink& sink() { return *sink_; }
  bool is_terminal() const;
  // Commit makes a named file visible; a no-op for standard output.
  Status Commit();

 private:
  std::unique_ptr<AtomicFileSink> file_;
  std::unique_ptr<FdSink> stdout_;
  ByteSink* sink_ = nullptr;
};

}  // namespace amparo
