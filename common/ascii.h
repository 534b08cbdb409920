#pragma once
// ascii.h: ASCII case and character classes, the same in every locale.
// Names a protocol defines (URL schemes, host names, file extensions, bech32
// prefixes, key ids) are checked and compared without the C library's
// tolower and isalnum, whose answers depend on the locale.

#include <string>
#include <string_view>

namespace amparo {

// IsAsciiDigit is true for '0' to '9' only.
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// IsAsciiAlpha is true for 'A' to 'Z' and 'a' to 'z' only.
constexpr bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// IsAsciiAlnum is IsAsciiAlpha or IsAsciiDigit.
constexpr bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

// AsciiLower maps 'A' to 'Z' to 'a' to 'z' and returns every other byte as
// it is.
constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// AsciiLowerCopy returns `text` with every byte passed through AsciiLower.
inline std::string AsciiLowerCopy(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = AsciiLower(c);
  return lower;
}

}  // namespace amparo
