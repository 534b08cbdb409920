#pragma once
// remote_store.h: the store of a running gateway, reached through its local
// control socket (gateway/control_server.h). amparo-admin uses it when the
// gateway holds the store, so that the operator's commands work without
// stopping the service. It offers what the operator's tool needs: the export
// queue, envelopes, the key bundle, the audit chain and the totals; intake
// (puts and uploads) answers kUnavailable, because it belongs to the server.

#include <filesystem>
#include <memory>

#include "storage/envelope_store.h"

namespace amparo::storage {

// ConnectRemoteStore connects to the control socket at `path`; kUnavailable
// if nothing listens there.
Result<std::unique_ptr<EnvelopeStore>> ConnectRemoteStore(const std::filesystem::path& path);

}  // namespace amparo::storage
