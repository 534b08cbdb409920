#pragma once
// request_handler.h: the seam between the HTTPS server and the gateway's
// logic.

#include <cstddef>
#include <functional>

#include "common/error.h"
#include "gateway/http_types.h"

namespace amparo::gateway {

// RequestHandler answers requests. The server calls BodyLimit after reading
// the headers, refuses larger bodies with 413 before reading them, then calls
// Handle with the complete request on the connection's strand.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // BodyLimit returns the largest body the route accepts; 0 allows none.
  virtual std::size_t BodyLimit(const RequestHead& head) const = 0;
  // Handle must call respond exactly once, from any thread; the server posts
  // the response back to the connection's strand.
  virtual void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) = 0;
  // ErrorResponse returns the fixed response for an error class; the server
  // uses it for what it refuses itself (oversized headers or bodies).
  virtual HttpResponse ErrorResponse(Error error) const = 0;
};

}  // namespace amparo::gateway
