#pragma once
// secret.h: containers for secret material. Memory is locked (never swapped),
// guarded, and wiped on destruction. There is deliberately no formatter or
// stream operator, so a secret cannot reach a log line by accident.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace amparo::crypto {

// SecretBuffer owns `size` bytes of locked, zero-initialised memory, wiped and
// freed on destruction. Move-only; a moved-from buffer is empty.
class SecretBuffer {
 public:
  SecretBuffer() = default;
  explicit SecretBuffer(std::size_t size);
  ~SecretBuffer();
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<std::uint8_t> span() { return {data_, size_}; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }

 private:
  void Release();
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// SecretBytes is a SecretBuffer of a size fixed at compile time, so that keys
// of different lengths are different types.
template <std::size_t N>
class SecretBytes {
 public:
  static constexpr std::size_t kSize = N;
  SecretBytes() : buffer_(N) {}

  std::uint8_t* data() { return buffer_.data(); }
  const std::uint8_t* data() const { return buffer_.data(); }
  static constexpr std::size_t size() { return N; }
  std::span<std::uint8_t, N> span() { return std::span<std::uint8_t, N>(buffer_.data(), N); }
  std::span<const std::uint8_t, N> span() const {
    return std::span<const std::uint8_t, N>(buffer_.data(), N);
  }

 private:
  SecretBuffer buffer_;
};

// ConstantTimeEqual compares two equal-length spans in time independent of
// their content; false if the lengths differ.
bool ConstantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Wipe overwrites memory with zeros in a way the compiler cannot elide.
void Wipe(std::span<std::uint8_t> bytes);

}  // namespace amparo::crypto
