#pragma once
// file_io.h: sources and sinks over file descriptors, and files that appear
// under their final name only once they are complete.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "common/io.h"
#include "common/result.h"

namespace amparo {

// FdSource reads from a descriptor it does not own.
class FdSource final : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;

 private:
  int fd_;
};

// FdSink writes to a descriptor it does not own.
class FdSink final : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  Status Write(std::span<const std::uint8_t> data) override;

 private:
  int fd_;
};

// AtomicFileSink writes to a private temporary file beside `path` (mode 0600)
// and renames it to `path` only in Commit, after fsync. If it is destroyed
// uncommitted, the temporary file is removed, so a failed operation never
// leaves a complete-looking output behind.
class AtomicFileSink final : public ByteSink {
 public:
  static Result<std::unique_ptr<AtomicFileSink>> Create(const std::filesystem::path& path);
  ~AtomicFileSink() override;
  AtomicFileSink(const AtomicFileSink&) = delete;
  AtomicFileSink& operator=(const AtomicFileSink&) = delete;

  Status Write(std::span<const std::uint8_t> data) override;
  // Commit syncs the data and moves it to its final name; kIo on failure.
  Status Commit();

 private:
  AtomicFileSink(int fd, std::filesystem::path temp, std::filesystem::path final_path);
  int fd_;
  std::filesystem::path temp_path_;
  std::filesystem::path final_path_;
  bool committed_ = false;
};

// ReadSmallFile returns the whole content of a file of at most max_bytes;
// kLimitExceeded if it is larger, kIo if it cannot be read.
Result<std::string> ReadSmallFile(const std::filesystem::path& path, std::size_t max_bytes);

// ReadSmallFd is ReadSmallFile for an open descriptor it does not own.
Result<std::string> ReadSmallFd(int fd, std::size_t max_bytes);

// SyncDirectoryOf fsyncs the directory that holds `path`, so that a file
// created or renamed there survives a crash; kIo on failure.
Status SyncDirectoryOf(const std::filesystem::path& path);

// WriteNewFile creates `path` with mode 0600, refusing to replace an existing
// file, and syncs it; kIo on any failure (a partial file is removed).
Status WriteNewFile(const std::filesystem::path& path, std::string_view content);

}  // namespace amparo
