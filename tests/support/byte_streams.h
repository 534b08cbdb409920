#pragma once
// byte_streams.h: ByteSource and ByteSink doubles for tests: sources that
// deliver a few bytes per read or fail on cue, sources and sinks that produce
// or check a long pattern without holding it, and an in-memory pipe that joins
// a writer thread to a reader.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "common/io.h"
#include "common/result.h"

namespace amparo::test {

// TrickleSource reads from a borrowed span at most `per_read` bytes at a time.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::span<const std::uint8_t> data, std::size_t per_read)
      : data_(data), per_read_(per_read) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min({out.size(), data_.size(), per_read_});
    std::copy_n(data_.begin(), n, out.begin());
    data_ = data_.subspan(n);
    ++reads_;
    return n;
  }
  std::size_t reads() const { return reads_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t per_read_;
  std::size_t reads_ = 0;
};

// FailingSource yields `good` bytes of zeros, then fails every read with kIo.
class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::size_t good) : good_(good) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    if (good_ == 0) return Error::kIo;
    const std::size_t n = std::min(out.size(), good_);
    std::fill_n(out.begin(), n, std::uint8_t{0});
    good_ -= n;
    return n;
  }

 private:
  std::size_t good_;
};

// FailingSink accepts `good` bytes, then fails every write with kIo.
class FailingSink final : public ByteSink {
 public:
  explicit FailingSink(std::size_t good) : good_(good) {}
  Status Write(std::span<const std::uint8_t> data) override {
    if (data.size() > good_) return Error::kIo;
    good_ -= data.size();
    return OkStatus();
  }

 private:
  std::size_t good_;
};

// PatternByte is the byte at `offset` of the test pattern: not periodic with
// the chunk or armor line sizes, so a misplaced block shows up.
inline std::uint8_t PatternByte(std::uint64_t offset) {
  return static_cast<std::uint8_t>((offset * 131 + (offset >> 13)) % 251);
}

// PatternBytes returns the first `size` bytes of the pattern.
inline std::vector<std::uint8_t> PatternBytes(std::size_t size) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = PatternByte(i);
  return out;
}

// PatternSource yields `size` bytes of the pattern without storing them.
class PatternSource final : public ByteSource {
 public:
  explicit PatternSource(std::uint64_t size) : size_(size) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size_ - offset_));
    for (std::size_t i = 0; i < n; ++i) out[i] = PatternByte(offset_ + i);
    offset_ += n;
    return n;
  }

 private:
  std::uint64_t size_;
  std::uint64_t offset_ = 0;
};

// PatternCheckSink counts what is written and checks it against the pattern
// without storing it.
class PatternCheckSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    for (std::uint8_t byte : data) {
      if (!first_mismatch_ && byte != PatternByte(count_)) first_mismatch_ = count_;
      ++count_;
    }
    return OkStatus();
  }
  std::uint64_t count() const { return count_; }
  std::optional<std::uint64_t> first_mismatch() const { return first_mismatch_; }

 private:
  std::uint64_t count_ = 0;
  std::optional<std::uint64_t> first_mismatch_;
};

// BoundedPipe carries bytes from a writer thread to a reader through a ring
// of `capacity` bytes, so neither side ever holds the whole stream. Writes
// block while the ring is full and fail with kIo once the reader is closed;
// reads block while it is empty and return 0 once the writer is closed.
class BoundedPipe {
 public:
  explicit BoundedPipe(std::size_t capacity) : ring_(capacity) {}

  ByteSource& source() { return source_; }
  ByteSink& sink() { return sink_; }

  void CloseWriter() {
    std::lock_guard lock(mutex_);
    writer_closed_ = true;
    changed_.notify_all();
  }
  void CloseReader() {
    std::lock_guard lock(mutex_);
    reader_closed_ = true;
    changed_.notify_all();
  }

 private:
  class Source final : public ByteSource {
   public:
    explicit Source(BoundedPipe& pipe) : pipe_(pipe) {}
    Result<std::size_t> Read(std::span<std::uint8_t> out) override { return pipe_.Take(out); }

   private:
    BoundedPipe& pipe_;
  };
  class Sink final : public ByteSink {
   public:
    explicit Sink(BoundedPipe& pipe) : pipe_(pipe) {}
    Status Write(std::span<const std::uint8_t> data) override { return pipe_.Put(data); }

   private:
    BoundedPipe& pipe_;
  };

  Result<std::size_t> Take(std::span<std::uint8_t> out) {
    if (out.empty()) return std::size_t{0};
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return used_ > 0 || writer_closed_; });
    std::size_t taken = 0;
    while (taken < out.size() && used_ > 0) {
      const std::size_t n = std::min({out.size() - taken, used_, ring_.size() - head_});
      std::copy_n(ring_.begin() + static_cast<std::ptrdiff_t>(head_), n,
                  out.begin() + static_cast<std::ptrdiff_t>(taken));
      head_ = (head_ + n) % ring_.size();
      used_ -= n;
      taken += n;
    }
    changed_.notify_all();
    return taken;
  }

  Status Put(std::span<const std::uint8_t> data) {
    std::unique_lock lock(mutex_);
    while (!data.empty()) {
      changed_.wait(lock, [&] { return used_ < ring_.size() || reader_closed_; });
      if (reader_closed_) return Error::kIo;
      const std::size_t tail = (head_ + used_) % ring_.size();
      const std::size_t n =
          std::min({data.size(), ring_.size() - used_, ring_.size() - tail});
      std::copy_n(data.begin(), n, ring_.begin() + static_cast<std::ptrdiff_t>(tail));
      used_ += n;
      data = data.subspan(n);
      changed_.notify_all();
    }
    return OkStatus();
  }

  std::vector<std::uint8_t> ring_;
  std::size_t head_ = 0;
  std::size_t used_ = 0;
  bool writer_closed_ = false;
  bool reader_closed_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  Source source_{*this};
  Sink sink_{*this};
};

// Drain reads a source to its end into a vector; the error if a read fails.
inline Result<std::vector<std::uint8_t>> Drain(ByteSource& source) {
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> block(4096);
  while (true) {
    auto n = source.Read(block);
    if (!n.ok()) return n.error();
    if (n.value() == 0) return out;
    out.insert(out.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
}

}  // namespace amparo::test
