#pragma once
// http_types.h: the HTTP request and response as the gateway's logic sees
// them, independent of the server library, so routing and validation are
// tested without a network and Beast stays in server.cc.

#include <cstdint>
#include <string>
#include <vector>

namespace amparo::gateway {

enum class HttpMethod { kGet, kHead, kPost, kPut, kOther };

// RequestHead is what is known once the headers are read.
struct RequestHead {
  HttpMethod method = HttpMethod::kOther;
  std::string target;  // origin-form: path and query
};

// HttpRequest is a complete request whose body respected the route's limit.
struct HttpRequest {
  RequestHead head;
  std::vector<std::uint8_t> body;
};

// HttpResponse carries a status, a content type and a body. The server adds
// the security headers to every response, whatever its origin.
struct HttpResponse {
  unsigned status = 500;
  std::string content_type;
  std::vector<std::uint8_t> body;
};

}  // namespace amparo::gateway
