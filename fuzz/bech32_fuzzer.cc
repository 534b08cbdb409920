// Fuzzes DecodeBech32, ParseRecipient and X25519Identity::Parse: whatever
// decodes re-encodes to the same text in the same case, and each key parser
// accepts exactly the decodings with its prefix, its case and 32 bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/byte_reader.h"
#include "crypto/bech32.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace crypto = amparo::crypto;
using amparo::fuzz::Check;

bool HasLower(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool HasUpper(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

void CheckText(std::string_view text) {
  const bool lower = HasLower(text);
  const bool upper = HasUpper(text);
  const auto decoded = crypto::DecodeBech32(text);
  if (lower && upper) Check(!decoded);
  if (decoded) {
    const auto letter_case = upper ? crypto::Bech32Case::kUpper : crypto::Bech32Case::kLower;
    Check(crypto::EncodeBech32(decoded->hrp, decoded->data, letter_case) == text);
  }

  const auto recipient = crypto::ParseRecipient(text);
  Check(recipient.ok() == (decoded && !upper && decoded->hrp == crypto::kRecipientHrp &&
                           decoded->data.size() == 32));
  if (recipient.ok()) Check(crypto::EncodeRecipient(recipient.value()) == text);

  const auto identity = crypto::age::X25519Identity::Parse(text);
  Check(identity.ok() == (decoded && !lower && decoded->hrp == crypto::kIdentityHrp &&
                          decoded->data.size() == 32));
  if (identity.ok()) {
    const crypto::SecretBuffer encoded = identity.value().EncodeSecret();
    Check(amparo::AsText(encoded.span()) == text);
  }
}

void CheckEncoding(std::span<const std::uint8_t> bytes) {
  const auto decoded = crypto::DecodeBech32(
      crypto::EncodeBech32(crypto::kRecipientHrp, bytes, crypto::Bech32Case::kLower));
  Check(decoded && decoded->hrp == crypto::kRecipientHrp &&
        std::equal(decoded->data.begin(), decoded->data.end(), bytes.begin(), bytes.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CheckText(amparo::fuzz::AsChars(data, size));
  CheckEncoding(std::span<const std::uint8_t>(data, size));
  return 0;
}
