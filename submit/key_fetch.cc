#include "submit/key_fetch.h"

#include <chrono>
#include <set>

#include "common/limits.h"
#include "protocol/key_selection.h"

namespace amparo::submit {
namespace {

std::string_view DescribeVerifyError(Error error) {
  switch (error) {
    case Error::kBadSignature:
      return "the gateway's key bundle is not signed by the pinned root key: do not send";
    case Error::kKeyBundleRollback:
      return "the gateway offered an older key bundle than the one already seen";
    case Error::kLimitExceeded:
      return "the gateway's key bundle is larger than allowed";
    default:
      if (error == protocol::kExpiredKeyBundle) {
        return "the gateway's key bundle has expired (or this device's date is wrong)";
      }
      return "the gateway's key bundle is malformed";
  }
}

// Labels are signed by the root, but still go to a terminal: no control
// character may reach it.
std::string PrintableLabel(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = '?';
  }
  return out;
}

}  // namespace

Result<protocol::VerifiedKeyBundle> FetchKeyBundle(
    GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint, std::int64_t today,
    const std::optional<protocol::AcceptedKeyBundle>& last_accepted, std::string_view* failure) {
  auto reply = client.Get("/v1/keys", limits::kMaxSignedKeyBundleBytes);
  if (!reply.ok()) {
    *failure = client.last_failure();
    return reply.error();
  }
  if (reply.value().status == 503) {
    *failure = "the gateway has no key bundle yet; try again later";
    return Error::kUnavailable;
  }
  if (reply.value().status != 200) {
    *failure = "the gateway did not return its key bundle";
    return reply.value().status >= 500 ? Error::kUnavailable : Error::kMalformedEnvelope;
  }
  auto verified =
      protocol::VerifyKeyBundle(reply.value().body, root_fingerprint, today, last_accepted);
  if (!verified.ok()) {
    *failure = DescribeVerifyError(verified.error());
    return verified.error();
  }
  return std::move(verified.value());
}

std::vector<AvailableBody> AvailableBodies(const protocol::VerifiedKeyBundle& bundle,
                                           std::int64_t today) {
  std::vector<AvailableBody> bodies;
  std::set<std::string> seen;
  for (const auto& key : bundle.content.keys) {
    if (!seen.insert(key.body).second) continue;
    const auto chosen = protocol::SelectKeyForBody(bundle, key.body, today);
    if (!chosen.has_value()) continue;
    bodies.push_back({key.body, PrintableLabel(chosen->label)});
  }
  return bodies;
}

std::int64_t TodayUtc() {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
}

}  // namespace amparo::submit
