#include "common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>

#include "common/byte_reader.h"

namespace amparo {
namespace {

Status WriteAll(int fd, std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::kIo;
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

}  // namespace

Status SyncDirectoryOf(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? OkStatus() : Status(Error::kIo);
}

Result<std::size_t> FdSource::Read(std::span<std::uint8_t> out) {
  for (;;) {
    const ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return Error::kIo;
  }
}

Status FdSink::Write(std::span<const std::uint8_t> data) { return WriteAll(fd_, data); }

Result<std::unique_ptr<AtomicFileSink>> AtomicFileSink::Create(
    const std::filesystem::path& path) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern = (dir / ("." + path.filename().string() + ".partial-XXXXXX")).string();
  // mkostemp creates the file with mode 0600 and O_EXCL; O_CLOEXEC keeps the
  // plaintext out of any child process.
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  return std::unique_ptr<AtomicFileSink>(new AtomicFileSink(fd, pattern, path));
}

AtomicFileSink::AtomicFileSink(int fd, std::filesystem::path temp,
                               std::filesystem::path final_path)
    : fd_(fd), temp_path_(std::move(temp)), final_path_(std::move(final_path)) {}

AtomicFileSink::~AtomicFileSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

Status AtomicFileSink::Write(std::span<const std::uint8_t> data) {
  if (committed_ || fd_ < 0) return Error::kIo;
  return WriteAll(fd_, data);
}

Status AtomicFileSink::Commit() {
  if (committed_ || fd_ < 0) return Error::kIo;
  if (::fsync(fd_) != 0) return Error::kIo;
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Error::kIo;
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) return Error::kIo;
  committed_ = true;
  return SyncDirectoryOf(final_path_);
}

Result<std::string> ReadSmallFd(int fd, std::size_t max_bytes) {
  std::string content;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::kIo;
    }
    if (n == 0) return content;
    if (content.size() + static_cast<std::size_t>(n) > max_bytes) return Error::kLimitExceeded;
    content.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  auto content = ReadSmallFd(fd, max_bytes);
  ::close(fd);
  return content;
}

Status WriteNewFile(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::kIo;
  Status status = WriteAll(fd, AsBytes(content));
  if (status.ok() && ::fsync(fd) != 0) status = Error::kIo;
  if (::close(fd) != 0 && status.ok()) status = Error::kIo;
  if (!status.ok()) ::unlink(path.c_str());
  return status;
}

}  // namespace amparo
