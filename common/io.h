#pragma once
// io.h: streaming byte sources and sinks, so that no file is ever held whole
// in memory.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace amparo {

// ByteSource yields bytes in order. Read fills at most out.size() bytes and
// returns how many; it returns 0 only at the end of the input.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<std::size_t> Read(std::span<std::uint8_t> out) = 0;
};

// ByteSink accepts bytes in order. Write consumes all of data or fails.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::span<const std::uint8_t> data) = 0;
};

// ReadFull reads until out is full or the source ends; returns the count.
Result<std::size_t> ReadFull(ByteSource& source, std::span<std::uint8_t> out);

// SpanSource reads from a borrowed span, which must outlive it.
class SpanSource final : public ByteSource {
 public:
  explicit SpanSource(std::span<const std::uint8_t> data) : data_(data) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;

 private:
  std::span<const std::uint8_t> data_;
};

// PrefixedSource replays bytes already read (a borrowed span) before
// continuing with `rest`; both must outlive it.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::span<const std::uint8_t> prefix, ByteSource& rest)
      : prefix_(prefix), rest_(rest) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;

 private:
  std::span<const std::uint8_t> prefix_;
  ByteSource& rest_;
};

// VectorSink appends everything written to an owned vector.
class VectorSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override;
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace amparo
