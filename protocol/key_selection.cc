#include "protocol/key_selection.h"

#include <algorithm>
#include <set>

#include "common/limits.h"

namespace amparo::protocol {

std::optional<RecipientKeyEntry> SelectKeyForBody(const VerifiedKeyBundle& bundle,
                                                  std::string_view body, std::int64_t today) {
  const KeyBundleContent& content = bundle.content;
  const RecipientKeyEntry* best = nullptr;
  for (const RecipientKeyEntry& key : content.keys) {
    if (key.body != body || key.valid_from_day > today || key.valid_until_day < today) continue;
    // Verification refuses bundles that list a key as revoked, but a bundle
    // assembled by other means must not slip one through either.
    const bool revoked = std::find(content.revoked_key_ids.begin(), content.revoked_key_ids.end(),
                                   key.key_id) != content.revoked_key_ids.end();
    if (revoked) continue;
    if (best == nullptr || key.valid_from_day > best->valid_from_day ||
        (key.valid_from_day == best->valid_from_day && key.key_id < best->key_id)) {
      best = &key;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

Result<std::vector<RecipientKeyEntry>> SelectKeysForBodies(const VerifiedKeyBundle& bundle,
                                                           std::span<const std::string> bodies,
                                                           std::int64_t today) {
  // No sealing against an expired bundle: its keys may have been revoked since.
  if (bundle.content.expires_day < today) return kExpiredKeyBundle;
  if (bodies.empty() || bodies.size() > limits::kMaxBodiesPerEnvelope) {
    return Error::kInvalidArgument;
  }
  std::set<std::string_view> seen;
  std::vector<RecipientKeyEntry> keys;
  for (const std::string& body : bodies) {
    if (!seen.insert(body).second) return Error::kInvalidArgument;
    auto key = SelectKeyForBody(bundle, body, today);
    if (!key) return Error::kInvalidArgument;
    keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace amparo::protocol
