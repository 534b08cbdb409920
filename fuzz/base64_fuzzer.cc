// Fuzzes DecodeBase64 with and without padding: whatever decodes re-encodes to
// the same text, and any bytes encode to text that decodes back to them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/base64.h"
#include "fuzz/fuzz_support.h"

namespace {

using amparo::crypto::Base64Padding;
using amparo::fuzz::Check;

void CheckDecoding(std::string_view text, Base64Padding padding) {
  const auto decoded = amparo::crypto::DecodeBase64(text, padding);
  if (!decoded) return;
  Check(amparo::crypto::EncodeBase64(*decoded, padding) == text);
}

void CheckEncoding(std::span<const std::uint8_t> bytes, Base64Padding padding) {
  const auto decoded =
      amparo::crypto::DecodeBase64(amparo::crypto::EncodeBase64(bytes, padding), padding);
  Check(decoded.has_value() && std::equal(decoded->begin(), decoded->end(), bytes.begin(),
                                          bytes.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = amparo::fuzz::AsChars(data, size);
  const std::span<const std::uint8_t> bytes(data, size);
  for (const Base64Padding padding : {Base64Padding::kNone, Base64Padding::kRequired}) {
    CheckDecoding(text, padding);
    CheckEncoding(bytes, padding);
  }
  return 0;
}
