#include "submit/http_request.h"

#include <algorithm>

#include "submit/client_limits.h"
#include "submit/http_grammar.h"

namespace amparo::submit {
namespace {

bool IsTargetChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && c != '#';
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return IsTokenChar(c); });
}

bool IsMediaType(std::string_view text) {
  const auto slash = text.find('/');
  return slash != std::string_view::npos && IsToken(text.substr(0, slash)) &&
         IsToken(text.substr(slash + 1));
}

bool IsHostHeader(std::string_view text) {
  return !text.empty() && text.size() <= client_limits::kMaxHostNameBytes + 8 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return IsTokenChar(c) || c == ':' || c == '[' || c == ']';
         });
}

}  // namespace

Result<std::string> FormatRequestHead(std::string_view method, std::string_view host_header,
                                      std::string_view target, std::string_view content_type,
                                      std::optional<std::uint64_t> content_length) {
  if (!IsToken(method) || !IsHostHeader(host_header)) return Error::kInvalidArgument;
  if (target.empty() || target.front() != '/' || target.size() > client_limits::kMaxRequestTargetBytes ||
      !std::all_of(target.begin(), target.end(), IsTargetChar)) {
    return Error::kInvalidArgument;
  }
  if (!content_type.empty() && !IsMediaType(content_type)) return Error::kInvalidArgument;
  if (!content_type.empty() && !content_length.has_value()) return Error::kInvalidArgument;

  std::string head;
  head.reserve(128 + target.size() + host_header.size());
  head.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  head.append("Host: ").append(host_header).append("\r\n");
  if (!content_type.empty()) head.append("Content-Type: ").append(content_type).append("\r\n");
  if (content_length.has_value()) {
    head.append("Content-Length: ").append(std::to_string(*content_length)).append("\r\n");
  }
  head.append("\r\n");
  return head;
}

}  // namespace amparo::submit
