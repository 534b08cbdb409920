#pragma once
// ascii.h: ASCII case, the same in every locale. Names a protocol defines
// (URL schemes, host names, file extensions, bech32 prefixes) compare without
// the C library's tolower, whose answer depends on the locale.

#include <string>
#include <string_view>

namespace amparo {

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
