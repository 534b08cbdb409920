#pragma once
// utf8.h: strict UTF-8 validation for text fields read from untrusted bytes.

#include <string_view>

namespace amparo::protocol {

// IsValidUtf8 reports whether text is well-formed UTF-8 (RFC 3629): no
// overlong form, no surrogate, nothing above U+10FFFF, no truncated sequence.
bool IsValidUtf8(std::string_view text);

}  // namespace amparo::protocol
