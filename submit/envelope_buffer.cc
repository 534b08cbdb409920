#include "submit/envelope_buffer.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <string>

namespace amparo::submit {
namespace {

Status WriteAllAt(int fd, std::span<const std::uint8_t> data, std::uint64_t offset) {
  while (!data.empty()) {
    const ssize_t written = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Error::kIo;
    data = data.subspan(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
  return OkStatus();
}

// Overwrite replaces the file's bytes with zeros before it is released. The
// bytes are ciphertext, but their presence alone would tell someone who
// examines the device that an envelope was made on it. On flash storage and
// copy-on-write file systems this is a best effort, not a guarantee.
void Overwrite(int fd, std::uint64_t size) {
  static const std::array<std::uint8_t, 64 * 1024> kZeros{};
  std::uint64_t offset = 0;
  while (offset < size) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kZeros.size(), size - offset));
    if (!WriteAllAt(fd, std::span<const std::uint8_t>(kZeros).first(n), offset).ok()) return;
    offset += n;
  }
  ::fdatasync(fd);
}

}  // namespace

std::filesystem::path DefaultTempDir() {
  const char* tmpdir = std::getenv("TMPDIR");
  if (tmpdir != nullptr && tmpdir[0] == '/') return tmpdir;
  return "/tmp";
}

EnvelopeBuffer::EnvelopeBuffer(std::size_t memory_limit, std::filesystem::path temp_dir)
    : memory_limit_(memory_limit), temp_dir_(std::move(temp_dir)) {
  // Reserved once, so that growing never leaves copies behind in freed memory.
  memory_.reserve(memory_limit_);
}

EnvelopeBuffer::~EnvelopeBuffer() {
  if (!memory_.empty()) OPENSSL_cleanse(memory_.data(), memory_.size());
  if (fd_ >= 0) {
    Overwrite(fd_, size_);
    ::close(fd_);
  }
}

Result<int> EnvelopeBuffer::OpenPrivateTempFile(const std::filesystem::path& dir) {
  // O_TMPFILE: the file never has a name, so no crash or kill can leave it
  // behind; the kernel frees it when the descriptor closes.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd >= 0) return fd;
  // File systems without O_TMPFILE: a random name, removed at once.
  std::string pattern = (dir / "amparo-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return Error::kIo;
  if (::unlink(pattern.c_str()) != 0) {
    ::close(fd);
    return Error::kIo;
  }
  return fd;
}

Status EnvelopeBuffer::Spill() {
  auto fd = OpenPrivateTempFile(temp_dir_);
  if (!fd.ok()) return fd.error();
  fd_ = fd.value();
  const Status written = WriteAllAt(fd_, memory_, 0);
  OPENSSL_cleanse(memory_.data(), memory_.size());
  memory_.clear();
  memory_.shrink_to_fit();
  return written;
}

Status EnvelopeBuffer::Write(std::span<const std::uint8_t> data) {
  if (fd_ < 0 && memory_.size() + data.size() > memory_limit_) {
    AMPARO_RETURN_IF_ERROR(Spill());
  }
  if (fd_ < 0) {
    memory_.insert(memory_.end(), data.begin(), data.end());
  } else {
    AMPARO_RETURN_IF_ERROR(WriteAllAt(fd_, data, size_));
  }
  size_ += data.size();
  return OkStatus();
}

Status EnvelopeBuffer::ReadAt(std::uint64_t offset, std::span<std::uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset) return Error::kInvalidArgument;
  if (fd_ < 0) {
    const auto begin = memory_.begin() + static_cast<std::ptrdiff_t>(offset);
    std::copy(begin, begin + static_cast<std::ptrdiff_t>(out.size()), out.begin());
    return OkStatus();
  }
  while (!out.empty()) {
    const ssize_t got = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Error::kIo;
    out = out.subspan(static_cast<std::size_t>(got));
    offset += static_cast<std::uint64_t>(got);
  }
  return OkStatus();
}

}  // namespace amparo::submit
