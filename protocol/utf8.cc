#include "protocol/utf8.h"

#include <cstdint>

namespace amparo::protocol {

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t extra = 0;
    std::uint8_t low = 0x80;  // bounds of the second byte (RFC 3629, section 4)
    std::uint8_t high = 0xbf;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      extra = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      if (lead == 0xe0) low = 0xa0;   // no overlong form
      if (lead == 0xed) high = 0x9f;  // no surrogate
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      if (lead == 0xf0) low = 0x90;   // no overlong form
      if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (text.size() - i - 1 < extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto byte = static_cast<std::uint8_t>(text[i + k]);
      const std::uint8_t min = k == 1 ? low : 0x80;
      const std::uint8_t max = k == 1 ? high : 0xbf;
      if (byte < min || byte > max) return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace amparo::protocol
