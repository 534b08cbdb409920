#pragma once
// key_fetch.h: fetching the gateway's signed key bundle and verifying it
// against the root fingerprint the person pinned. Nothing is sealed to a key
// that did not come through this check: the gateway is not trusted with the
// keys, only with carrying them.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/key_bundle.h"
#include "submit/http_client.h"

namespace amparo::submit {

// FetchKeyBundle fetches GET /v1/keys and verifies the answer with
// protocol::VerifyKeyBundle against the pinned root fingerprint, today's UTC
// day and, when refreshing, the bundle accepted before (so that a gateway
// cannot roll it back). Errors are those of the client and the verifier,
// kUnavailable if the gateway has no bundle yet, and kMalformedEnvelope for
// any other unexpected status; `failure` is set to a fixed sentence.
Result<protocol::VerifiedKeyBundle> FetchKeyBundle(
    GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint, std::int64_t today,
    const std::optional<protocol::AcceptedKeyBundle>& last_accepted, std::string_view* failure);

// AvailableBody is a body a person can choose today.
struct AvailableBody {
  std::string code;
  std::string label;  // of the key sealed to; control characters replaced by '?'
};

// AvailableBodies lists each body of the bundle that has a key to seal to
// today, once, in the order of the bundle.
std::vector<AvailableBody> AvailableBodies(const protocol::VerifiedKeyBundle& bundle,
                                           std::int64_t today);

// TodayUtc returns the current day, in days since 1970-01-01 UTC.
std::int64_t TodayUtc();

}  // namespace amparo::submit
