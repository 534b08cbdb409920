#pragma once
// http_grammar.h: the character classes of HTTP/1.1 that both the request
// writer and the response parser check.

#include <cstdint>
#include <string_view>

#include "common/ascii.h"

namespace amparo::submit {

// IsTokenChar: RFC 9110 section 5.6.2, tchar.
constexpr bool IsTokenChar(std::uint8_t c) {
  if (IsAsciiAlnum(static_cast<char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

constexpr bool IsTokenChar(char c) { return IsTokenChar(static_cast<std::uint8_t>(c)); }

}  // namespace amparo::submit
