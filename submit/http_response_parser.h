#pragma once
// http_response_parser.h: a strict, bounded parser of HTTP/1.1 responses, a
// pure function over bytes. It accepts exactly the shape the gateway sends:
// "HTTP/1.1", a final status (200 to 599), CRLF line endings, no folded
// lines, one Content-Length, no Transfer-Encoding (bodies are always
// delimited by their length), at most client_limits::kMaxResponseHeadBytes of status
// line and headers.
//
// Errors: kLimitExceeded when the head or the declared body is larger than
// allowed; kIo for every other way the bytes are not such a response.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace amparo::submit {

// HttpResponseHead is what this client uses of a response's head.
struct HttpResponseHead {
  int status = 0;
  // content_length is the exact body length; 0 for 204 and 304.
  std::uint64_t content_length = 0;
  // content_type is the Content-Type value without surrounding blanks; empty
  // if absent. Compared, never parsed further.
  std::string content_type;
  // connection_close is true if the gateway will close after this response.
  bool connection_close = false;
};

// HttpResponse is a complete response; it owns its body.
struct HttpResponse {
  HttpResponseHead head;
  std::vector<std::uint8_t> body;
};

// FindResponseHeadEnd looks for the empty line that ends a response head in
// the bytes received so far and returns the head's length (through that
// line's CRLF); std::nullopt if it has not arrived yet and more bytes may
// still fit; kLimitExceeded if the first kMaxResponseHeadBytes bytes hold no
// complete head.
Result<std::optional<std::size_t>> FindResponseHeadEnd(std::span<const std::uint8_t> bytes);

// ParseResponseHead parses exactly one head (as delimited by
// FindResponseHeadEnd: ending with an empty line, nothing after it). A
// Content-Length above max_body_bytes is kLimitExceeded.
Result<HttpResponseHead> ParseResponseHead(std::span<const std::uint8_t> head,
                                           std::size_t max_body_bytes);

// ParseResponse parses one complete response that must span all of bytes:
// std::nullopt if bytes are a valid but incomplete prefix of one (the caller
// reads more, or reports a truncated response at the end of the stream);
// kIo if anything follows the body, since this client never pipelines.
Result<std::optional<HttpResponse>> ParseResponse(std::span<const std::uint8_t> bytes,
                                                  std::size_t max_body_bytes);

}  // namespace amparo::submit
