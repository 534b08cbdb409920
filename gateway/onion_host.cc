#include "gateway/onion_host.h"

#include <algorithm>
#include <cstddef>

#include "common/ascii.h"

namespace amparo::gateway {
namespace {

constexpr std::string_view kOnionSuffix = ".onion";
constexpr std::size_t kMaxPortDigits = 5;

bool IsNameChar(char c) { return IsAsciiAlnum(c) || c == '-' || c == '.'; }

}  // namespace

bool IsOnionHost(std::string_view host) {
  // The port, if any: the last ':' and only digits after it.
  const std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > kMaxPortDigits ||
        !std::all_of(port.begin(), port.end(), IsAsciiDigit)) {
      return false;
    }
    host = host.substr(0, colon);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.size() <= kOnionSuffix.size()) return false;
  if (!std::all_of(host.begin(), host.end(), IsNameChar)) return false;
  // No empty label: not at the start, and never two dots in a row.
  if (host.front() == '.' || host.find("..") != std::string_view::npos) return false;
  return AsciiLowerCopy(host.substr(host.size() - kOnionSuffix.size())) == kOnionSuffix;
}

}  // namespace amparo::gateway
