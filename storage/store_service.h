#pragma once
// store_service.h: the server side of the control socket. It answers one
// client's requests, in order, with the store's own results: the socket is
// a transport for EnvelopeStore calls, never a second set of rules.

#include <functional>

#include "storage/envelope_store.h"

namespace amparo::storage {

// ServeControlConnection answers requests on a connected socket until the
// client closes it (ok) or a frame is malformed or a write fails (the error).
// `bundle_installed` runs after a key bundle was stored, so that the server
// can apply it at once.
Status ServeControlConnection(int fd, EnvelopeStore& store,
                              const std::function<void()>& bundle_installed);

}  // namespace amparo::storage
