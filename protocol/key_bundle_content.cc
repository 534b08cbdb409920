#include "protocol/key_bundle_content.h"


#include <algorithm>
#include <array>
#include <set>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/limits.h"
#include "proto/key_bundle.pb.h"
#include "protocol/canonical_encoding.h"
#include "protocol/unknown_fields.h"
#include "protocol/utf8.h"
#include "protocol/x25519_key_check.h"

namespace amparo::protocol {
namespace {

bool IsKeyIdChar(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-';
}

bool IsBodyCodeChar(char c) { return (c >= 'A' && c <= 'Z') || IsAsciiDigit(c) || c == '_'; }

bool IsValidKey(const RecipientKeyEntry& key) {
  return IsKeyId(key.key_id) && IsBodyCode(key.body) && !key.label.empty() &&
         key.label.size() <= limits::kMaxKeyLabelBytes && IsValidUtf8(key.label) &&
         IsAcceptableX25519PublicKey(key.public_key.bytes) &&
         limits::IsDayInRange(key.valid_from_day) && limits::IsDayInRange(key.valid_until_day) &&
         key.valid_from_day <= key.valid_until_day;
}

}  // namespace

bool IsKeyId(std::string_view text) {
  return !text.empty() && text.size() <= limits::kMaxKeyIdBytes &&
         std::all_of(text.begin(), text.end(), IsKeyIdChar);
}

bool IsBodyCode(std::string_view text) {
  return !text.empty() && text.size() <= limits::kMaxBodyCodeBytes && text[0] >= 'A' &&
         text[0] <= 'Z' && std::all_of(text.begin(), text.end(), IsBodyCodeChar);
}

Status ValidateKeyBundleContent(const KeyBundleContent& content) {
  if (content.version < 1 || !limits::IsDayInRange(content.issued_day) ||
      !limits::IsDayInRange(content.expires_day) || content.issued_day > content.expires_day) {
    return kInvalidKeyBundle;
  }
  if (content.keys.empty() || content.keys.size() > limits::kMaxKeysPerBundle ||
      content.revoked_key_ids.size() > limits::kMaxRevokedKeyIds) {
    return kInvalidKeyBundle;
  }
  std::set<std::string_view> ids;
  std::set<std::array<std::uint8_t, 32>> public_keys;
  for (const RecipientKeyEntry& key : content.keys) {
    if (!IsValidKey(key)) return kInvalidKeyBundle;
    if (!ids.insert(key.key_id).second) return kInvalidKeyBundle;
    if (!public_keys.insert(key.public_key.bytes).second) return kInvalidKeyBundle;
  }
  for (const std::string& id : content.revoked_key_ids) {
    if (!IsKeyId(id) || ids.contains(id)) return kInvalidKeyBundle;
  }
  if (content.lowest_accepted_version < 1 || content.lowest_accepted_version > content.version) {
    return kInvalidKeyBundle;
  }
  return OkStatus();
}

Result<KeyBundleContent> ParseKeyBundle(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > limits::kMaxKeyBundleBytes) return kInvalidKeyBundle;
  v1::KeyBundle message;
  // libprotobuf is lenient: it keeps unknown fields aside and the last of a
  // repeated singular field. The bytes are authenticated, so only unknown
  // fields, which this build would silently ignore, are refused here.
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      HasUnknownFields(message)) {
    return kInvalidKeyBundle;
  }
  // Counted before anything is copied.
  if (message.keys_size() < 1 ||
      static_cast<std::size_t>(message.keys_size()) > limits::kMaxKeysPerBundle ||
      static_cast<std::size_t>(message.revoked_key_ids_size()) > limits::kMaxRevokedKeyIds) {
    return kInvalidKeyBundle;
  }
  KeyBundleContent content;
  content.version = message.version();
  content.issued_day = message.issued_day();
  content.expires_day = message.expires_day();
  content.lowest_accepted_version = message.lowest_accepted_version();
  for (const v1::RecipientKey& key : message.keys()) {
    if (key.x25519_public_key().size() != 32) {
      return kInvalidKeyBundle;
    }
    RecipientKeyEntry entry;
    entry.key_id = key.key_id();
    entry.body = key.body();
    entry.label = key.label();
    const auto public_key = AsBytes(key.x25519_public_key());
    std::copy(public_key.begin(), public_key.end(), entry.public_key.bytes.begin());
    entry.valid_from_day = key.valid_from_day();
    entry.valid_until_day = key.valid_until_day();
    content.keys.push_back(std::move(entry));
  }
  content.revoked_key_ids.assign(message.revoked_key_ids().begin(),
                                 message.revoked_key_ids().end());
  AMPARO_RETURN_IF_ERROR(ValidateKeyBundleContent(content));
  return content;
}

std::vector<std::uint8_t> EncodeKeyBundle(const KeyBundleContent& content) {
  v1::KeyBundle message;
  message.set_version(content.version);
  message.set_issued_day(content.issued_day);
  message.set_expires_day(content.expires_day);
  for (const RecipientKeyEntry& key : content.keys) {
    v1::RecipientKey* out = message.add_keys();
    out->set_key_id(key.key_id);
    out->set_body(key.body);
    out->set_label(key.label);
    out->set_x25519_public_key(std::string(AsText(key.public_key.bytes)));
    out->set_valid_from_day(key.valid_from_day);
    out->set_valid_until_day(key.valid_until_day);
  }
  for (const std::string& id : content.revoked_key_ids) message.add_revoked_key_ids(id);
  message.set_lowest_accepted_version(content.lowest_accepted_version);
  return SerializeDeterministic(message);
}

}  // namespace amparo::protocol
