#pragma once
// envelope_buffer.h: where a sealed envelope waits for its upload. Its length
// must be known before the upload starts, and a broken upload resumes from
// any offset, so the envelope is kept whole: in memory up to a threshold
// (every envelope that fits one request never touches the disk), beyond it
// in a private temporary file that has no name from the start (O_TMPFILE) or
// loses it at once, so that nothing is left on the device afterwards.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "common/io.h"
#include "common/result.h"

namespace amparo::submit {

// EnvelopeBuffer is a ByteSink that can afterwards be read back at any
// offset. It owns its memory and its temporary file, which is overwritten
// with zeros and closed on destruction.
class EnvelopeBuffer final : public ByteSink {
 public:
  // EnvelopeBuffer keeps up to memory_limit bytes in memory; past it, the
  // bytes move to a temporary file in temp_dir (created on demand).
  EnvelopeBuffer(std::size_t memory_limit, std::filesystem::path temp_dir);
  ~EnvelopeBuffer() override;
  EnvelopeBuffer(const EnvelopeBuffer&) = delete;
  EnvelopeBuffer& operator=(const EnvelopeBuffer&) = delete;

  // Write appends; kIo if the temporary file cannot be created or written.
  Status Write(std::span<const std::uint8_t> data) override;

  // size returns the bytes written so far.
  std::uint64_t size() const { return size_; }

  // in_memory reports whether every byte is in memory; memory() then views
  // them (valid until the next Write).
  bool in_memory() const { return fd_ < 0; }
  std::span<const std::uint8_t> memory() const { return memory_; }

  // ReadAt fills out with the bytes at `offset`; kInvalidArgument if that
  // range is not all written, kIo if the file cannot be read.
  Status ReadAt(std::uint64_t offset, std::span<std::uint8_t> out) const;

  // OpenPrivateTempFile returns a read-write descriptor of a new file in
  // dir, mode 0600, that no name refers to; kIo on failure. The caller owns
  // the descriptor.
  static Result<int> OpenPrivateTempFile(const std::filesystem::path& dir);

 private:
  Status Spill();

  std::size_t memory_limit_;
  std::filesystem::path temp_dir_;
  std::vector<std::uint8_t> memory_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// DefaultTempDir returns $TMPDIR if set and absolute, else /tmp.
std::filesystem::path DefaultTempDir();

}  // namespace amparo::submit
