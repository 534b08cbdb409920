#pragma once
// byte_reader.h: the one bounds-checked way to read untrusted bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace amparo {

// ByteReader walks a borrowed span front to back. Every read either succeeds
// and consumes exactly what it returns, or fails and consumes nothing. The
// span must outlive the reader and every span it hands out.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}
  explicit ByteReader(std::string_view text);

  std::size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::span<const std::uint8_t> rest() const { return data_; }

  // ReadBytes takes the next n bytes; false if fewer remain.
  bool ReadBytes(std::size_t n, std::span<const std::uint8_t>* out);
  bool ReadU8(std::uint8_t* out);
  bool Skip(std::size_t n);

  // ReadLine takes the bytes before the next '\n' and consumes the '\n' too;
  // false if no '\n' occurs within the first max_length + 1 bytes.
  bool ReadLine(std::size_t max_length, std::span<const std::uint8_t>* line);

  // StartsWith reports whether the unread bytes begin with prefix.
  bool StartsWith(std::string_view prefix) const;
  // ConsumePrefix skips prefix if the unread bytes begin with it.
  bool ConsumePrefix(std::string_view prefix);

 private:
  std::span<const std::uint8_t> data_;
};

// AsText views bytes as characters, for comparisons with literals.
std::string_view AsText(std::span<const std::uint8_t> bytes);
// AsBytes views characters as bytes.
std::span<const std::uint8_t> AsBytes(std::string_view text);

}  // namespace amparo
