#pragma once
// handler_slot.h: a RequestHandler that forwards to one set later. The
// gateway binds its port while still root, before it opens the store its
// handler needs (the store's files must belong to the account it becomes),
// so the server is created with this slot and the handler placed in it once
// it exists, before the server runs.

#include <cstdlib>
#include <functional>

#include "gateway/request_handler.h"

namespace amparo::gateway {

class HandlerSlot final : public RequestHandler {
 public:
  // Set places the handler, which must outlive the server; before Run only.
  void Set(RequestHandler& handler) { handler_ = &handler; }

  std::size_t BodyLimit(const RequestHead& head) const override { return Get().BodyLimit(head); }
  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override {
    Get().Handle(std::move(request), std::move(respond));
  }
  HttpResponse ErrorResponse(Error error) const override { return Get().ErrorResponse(error); }

 private:
  // Serving with an empty slot is a broken invariant.
  RequestHandler& Get() const {
    if (handler_ == nullptr) std::abort();
    return *handler_;
  }
  RequestHandler* handler_ = nullptr;
};

}  // namespace amparo::gateway
