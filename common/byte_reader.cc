#include "common/byte_reader.h"

#include <algorithm>

namespace amparo {

ByteReader::ByteReader(std::string_view text) : data_(AsBytes(text)) {}

bool ByteReader::ReadBytes(std::size_t n, std::span<const std::uint8_t>* out) {
  if (n > data_.size()) return false;
  *out = data_.first(n);
  data_ = data_.subspan(n);
  return true;
}

bool ByteReader::ReadU8(std::uint8_t* out) {
  if (data_.empty()) return false;
  *out = data_[0];
  data_ = data_.subspan(1);
  return true;
}

bool ByteReader::Skip(std::size_t n) {
  std::span<const std::uint8_t> ignored;
  return ReadBytes(n, &ignored);
}

bool ByteReader::ReadLine(std::size_t max_length, std::span<const std::uint8_t>* line) {
  // The line and its newline; written so that max_length + 1 cannot wrap.
  const std::size_t window = max_length < data_.size() ? max_length + 1 : data_.size();
  const auto scan = data_.first(window);
  const auto newline = std::find(scan.begin(), scan.end(), std::uint8_t{'\n'});
  if (newline == scan.end()) return false;
  const auto length = static_cast<std::size_t>(newline - scan.begin());
  *line = data_.first(length);
  data_ = data_.subspan(length + 1);
  return true;
}

bool ByteReader::StartsWith(std::string_view prefix) const {
  return data_.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), data_.begin(),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

bool ByteReader::ConsumePrefix(std::string_view prefix) {
  if (!StartsWith(prefix)) return false;
  data_ = data_.subspan(prefix.size());
  return true;
}

std::string_view AsText(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace amparo
