#pragma once
// error_response.h: the one place where errors become HTTP responses. Each
// class has a fixed status, code and message; nothing from the request and
// nothing about which check failed is ever echoed.

#include "common/error.h"
#include "gateway/http_types.h"

namespace amparo::gateway {

// ResponseFor returns the fixed response of an error class.
HttpResponse ResponseFor(Error error);

// NotFoundResponse and MethodNotAllowedResponse answer routing failures.
HttpResponse NotFoundResponse();
HttpResponse MethodNotAllowedResponse();

}  // namespace amparo::gateway
