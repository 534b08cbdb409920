#include "common/hex.h"

namespace amparo {
namespace {

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string HexEncodeGrouped(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t kGroupDigits = 4;
  const std::string hex = HexEncode(bytes);
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); i += kGroupDigits) {
    if (i > 0) grouped += '-';
    grouped += hex.substr(i, kGroupDigits);
  }
  return grouped;
}

bool HexDecode(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = Nibble(hex[2 * i]);
    const int low = Nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return true;
}

}  // namespace amparo
