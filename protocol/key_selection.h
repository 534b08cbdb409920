#pragma once
// key_selection.h: which key of a verified bundle a client seals to for each
// body the person chose (proto/ENVELOPE.md section 9.5).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/key_bundle.h"

namespace amparo::protocol {

// SelectKeyForBody returns the body's key to seal to today: among its keys
// valid today (valid_from_day <= today <= valid_until_day) and not revoked,
// the one with the latest valid_from_day, ties broken by the bytewise
// smallest key_id. nullopt if there is none: the body is then not offered.
// The result is a copy.
std::optional<RecipientKeyEntry> SelectKeyForBody(const VerifiedKeyBundle& bundle,
                                                  std::string_view body, std::int64_t today);

// SelectKeysForBodies returns one key per body, in the order of `bodies`.
// kExpiredKeyBundle if the bundle has expired today (a client must refresh
// it first); kInvalidArgument for no body, more than kMaxBodiesPerEnvelope,
// a body given twice, or a body with no key to seal to today.
Result<std::vector<RecipientKeyEntry>> SelectKeysForBodies(const VerifiedKeyBundle& bundle,
                                                           std::span<const std::string> bodies,
                                                           std::int64_t today);

}  // namespace amparo::protocol
