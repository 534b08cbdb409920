#include "crypto/keys.h"

#include <algorithm>

#include "crypto/bech32.h"

namespace amparo::crypto {

std::string EncodeRecipient(const X25519PublicKey& key) {
  return EncodeBech32(kRecipientHrp, key.bytes, Bech32Case::kLower);
}

Result<X25519PublicKey> ParseRecipient(std::string_view text) {
  // age writes recipients in lower case only; upper case is refused so that
  // a key has exactly one accepted spelling.
  if (std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Error::kInvalidKey;
  }
  auto decoded = DecodeBech32(text);
  if (!decoded || decoded->hrp != kRecipientHrp || decoded->data.size() != 32) {
    return Error::kInvalidKey;
  }
  X25519PublicKey key;
  std::copy(decoded->data.begin(), decoded->data.end(), key.bytes.begin());
  return key;
}

}  // namespace amparo::crypto
