#pragma once
// key_bundle_content.h: the signed content of a key bundle as plain types,
// its bounds (key_bundle.proto, proto/ENVELOPE.md section 9.3 step 5), and
// its encoding for the workstation that signs it.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/result.h"
#include "crypto/keys.h"

namespace amparo::protocol {

// The error vocabulary has no "invalid key bundle" or "expired key bundle"
// (ENVELOPE.md section 9.3); these stand in for them, in this one place.
inline constexpr Error kInvalidKeyBundle = Error::kInvalidKey;
inline constexpr Error kExpiredKeyBundle = Error::kStaleKeyBundle;

// RecipientKeyEntry is one recipient key of one receiving body.
struct RecipientKeyEntry {
  std::string key_id;
  std::string body;
  std::string label;
  crypto::X25519PublicKey public_key;
  std::int64_t valid_from_day = 0;
  std::int64_t valid_until_day = 0;
  bool operator==(const RecipientKeyEntry&) const = default;
};

// KeyBundleContent is a KeyBundle: what the root key signs.
struct KeyBundleContent {
  std::uint64_t version = 0;
  std::int64_t issued_day = 0;
  std::int64_t expires_day = 0;
  std::vector<RecipientKeyEntry> keys;
  std::vector<std::string> revoked_key_ids;
  std::uint64_t lowest_accepted_version = 0;
  bool operator==(const KeyBundleContent&) const = default;
};

// IsKeyId reports whether text is 1..64 bytes of [A-Za-z0-9._-].
bool IsKeyId(std::string_view text);

// IsBodyCode reports whether text is 1..32 bytes of [A-Z0-9_] starting with a
// letter.
bool IsBodyCode(std::string_view text);

// ValidateKeyBundleContent checks every bound of key_bundle.proto: version
// >= 1; days within 0..kMaxDay, issued <= expires and valid_from <= valid_until;
// 1..64 keys with well-formed, distinct ids and distinct public keys that
// are canonical and not of small order; well-formed body codes; labels of
// 1..256 bytes of valid UTF-8; 0..1024 well-formed revoked ids, none of them
// among the keys; 1 <= lowest_accepted_version <= version.
// kInvalidKeyBundle for the first bound broken.
Status ValidateKeyBundleContent(const KeyBundleContent& content);

// ParseKeyBundle parses KeyBundle bytes, borrowed for the call, that a
// signature has already authenticated: kInvalidKeyBundle if they are longer
// than kMaxKeyBundleBytes, do not parse, hold an unknown field, or break a
// bound of ValidateKeyBundleContent. The result owns copies of every field.
Result<KeyBundleContent> ParseKeyBundle(std::span<const std::uint8_t> bytes);

// EncodeKeyBundle returns the deterministic protobuf encoding of content,
// the exact bytes a workstation then signs. It encodes whatever it is given:
// the signer calls ValidateKeyBundleContent first.
std::vector<std::uint8_t> EncodeKeyBundle(const KeyBundleContent& content);

}  // namespace amparo::protocol
