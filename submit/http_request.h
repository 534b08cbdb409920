#pragma once
// http_request.h: the bytes of an HTTP/1.1 request head as this client sends
// them, and nothing more: no User-Agent, no Accept-Language, no cookie, so
// that a request says nothing about the device or the person beyond what the
// API needs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace amparo::submit {

// FormatRequestHead returns the request line and headers, ending with the
// empty line. `target` is an origin-form path ("/v1/keys", optionally with a
// query) of printable ASCII without blanks, at most
// client_limits::kMaxRequestTargetBytes; `content_type` is "type/subtype" of token
// characters, or empty when there is no body. A request with a body, or a
// POST, carries a Content-Length. kInvalidArgument if an argument breaks these
// rules (they come from this program, never from the network).
Result<std::string> FormatRequestHead(std::string_view method, std::string_view host_header,
                                      std::string_view target, std::string_view content_type,
                                      std::optional<std::uint64_t> content_length);

}  // namespace amparo::submit
