#pragma once
// http_request_parse.h: reading a request's header under the exact header
// limit. An internal header of the gateway, shared only by server.cc and the
// http_request fuzz target (fuzz/http_request_fuzzer.cc), so that the fuzzer
// runs the server's own header logic; it is why Boost.Beast may be included
// here, and nothing else in the gateway may include this file.

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <cstddef>
#include <cstdint>

#include "common/limits.h"

namespace amparo::gateway {

// RequestParser parses one request; a fresh one is used for every request.
using RequestParser =
    boost::beast::http::request_parser<boost::beast::http::vector_body<std::uint8_t>>;

// HeaderProgress is where a request's header stands after FeedHeader.
enum class HeaderProgress {
  kNeedMore,   // incomplete and still within the limit: read more
  kComplete,   // the parser holds the whole header, at most the limit long
  kTooLarge,   // the header is, or can only end, past the limit: answer 431
  kMalformed,  // not a request header Beast accepts: close the connection
};

// FeedHeader gives `parser` (fresh, or fed only by FeedHeader) the bytes of
// `buffer`, consumes from it what the parser used and adds that to
// `header_bytes`, the bytes of this request's header parsed so far (0 for a
// fresh parser). It feeds by hand so that the limit counts every byte of the
// header, however the bytes were split across reads (Beast's own limit
// restarts at each partial line). A header of exactly
// kMaxRequestHeaderBytes is complete; an incomplete one that already spans
// that many bytes, counting what waits in the buffer, is refused, as its end
// would be one byte past the limit.
inline HeaderProgress FeedHeader(RequestParser& parser, boost::beast::flat_buffer& buffer,
                                 std::size_t& header_bytes) {
  namespace http = boost::beast::http;
  constexpr std::size_t kMax = limits::kMaxRequestHeaderBytes;
  parser.header_limit(static_cast<std::uint32_t>(kMax - header_bytes));
  boost::beast::error_code error;
  const std::size_t used = parser.put(buffer.data(), error);
  header_bytes += used;
  buffer.consume(used);
  // Beast admits a complete header that arrived in one piece a little past
  // its limit; the count decides, exactly.
  if (header_bytes > kMax || error == http::error::header_limit) return HeaderProgress::kTooLarge;
  if (!error) return HeaderProgress::kComplete;
  if (error != http::error::need_more) return HeaderProgress::kMalformed;
  if (header_bytes + buffer.size() >= kMax) return HeaderProgress::kTooLarge;
  return HeaderProgress::kNeedMore;
}

}  // namespace amparo::gateway
