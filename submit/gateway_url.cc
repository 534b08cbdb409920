#include "submit/gateway_url.h"

#include <algorithm>

#include "common/ascii.h"
#include "submit/client_limits.h"
#include "submit/tcp.h"

namespace amparo::submit {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '-' || c == '.' || c == '_';
}

Result<std::uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return Error::kInvalidArgument;
  unsigned value = 0;
  for (const char c : text) {
    if (!IsAsciiDigit(c)) return Error::kInvalidArgument;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return Error::kInvalidArgument;
  return static_cast<std::uint16_t>(value);
}

// ParseAuthority splits "host", "host:port", "[v6]" or "[v6]:port".
Result<HostPort> ParseAuthority(std::string_view text, std::uint16_t default_port,
                                bool port_required) {
  HostPort result;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return Error::kInvalidArgument;
    result.host = std::string(text.substr(1, close - 1));
    const auto after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Error::kInvalidArgument;
      port_text = after.substr(1);
      has_port = true;
    }
    if (result.host.find(':') == std::string::npos || !IsIpLiteral(result.host)) {
      return Error::kInvalidArgument;
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = text.substr(colon + 1);
      has_port = true;
      text = text.substr(0, colon);
    }
    const std::string host = AsciiLowerCopy(text);
    if (host.empty() || host.size() > client_limits::kMaxHostNameBytes ||
        !std::all_of(host.begin(), host.end(), IsNameChar) || host.front() == '.' ||
        host.front() == '-' || host.find("..") != std::string::npos) {
      return Error::kInvalidArgument;
    }
    result.host = std::move(host);
  }
  if (has_port) {
    auto port = ParsePort(port_text);
    if (!port.ok()) return port.error();
    result.port = port.value();
  } else {
    if (port_required) return Error::kInvalidArgument;
    result.port = default_port;
  }
  return result;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

Result<GatewayUrl> ParseGatewayUrl(std::string_view url) {
  constexpr std::string_view kHttps = "https://";
  constexpr std::string_view kHttp = "http://";
  // The scheme in any case, as URLs allow.
  const auto has_scheme = [url](std::string_view scheme) {
    return url.size() >= scheme.size() && AsciiLowerCopy(url.substr(0, scheme.size())) == scheme;
  };
  bool tls = true;
  std::string_view rest;
  if (has_scheme(kHttps)) {
    rest = url.substr(kHttps.size());
  } else if (has_scheme(kHttp)) {
    tls = false;
    rest = url.substr(kHttp.size());
  } else {
    return Error::kInvalidArgument;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) return Error::kInvalidArgument;
  const std::uint16_t default_port = tls ? 443 : 80;
  auto address = ParseAuthority(rest, default_port, false);
  if (!address.ok()) return address.error();

  GatewayUrl result;
  result.address = std::move(address.value());
  // Tor knows an onion name only without the final dot; with it, a proxy
  // might hand the name to an exit relay's resolver.
  if (EndsWith(result.address.host, ".onion.")) result.address.host.pop_back();
  const bool v6 = result.address.host.find(':') != std::string::npos;
  result.host_header = v6 ? "[" + result.address.host + "]" : result.address.host;
  if (result.address.port != default_port) {
    result.host_header += ":" + std::to_string(result.address.port);
  }
  result.onion = EndsWith(result.address.host, ".onion");
  result.tls = tls;
  // Plain HTTP only inside Tor: anywhere else it would expose the exchange.
  if (!tls && !result.onion) return Error::kInvalidArgument;
  return result;
}

Result<HostPort> ParseHostPort(std::string_view text) { return ParseAuthority(text, 0, true); }

}  // namespace amparo::submit
