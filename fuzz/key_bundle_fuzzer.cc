// Fuzzes VerifyKeyBundle, pinned to the fingerprint of the corpus root on a
// fixed day, and ParseKeyBundle on the same bytes: a verified bundle's content
// re-encodes to bytes that ParseKeyBundle accepts and reads back unchanged.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "crypto/signatures.h"
#include "fuzz/fuzz_support.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

std::array<std::uint8_t, 32> PinnedFingerprint() {
  const auto parsed = amparo::crypto::ParseFingerprint(amparo::fuzz::kKeyBundleRootFingerprint);
  Check(parsed.ok());
  return parsed.value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::array<std::uint8_t, 32> pinned = PinnedFingerprint();
  const std::span<const std::uint8_t> input(data, size);

  // The same bytes as unsigned content: only bounds and encoding are checked.
  const auto content = protocol::ParseKeyBundle(input);
  if (content.ok()) {
    Check(protocol::ValidateKeyBundleContent(content.value()).ok());
    const auto again = protocol::ParseKeyBundle(protocol::EncodeKeyBundle(content.value()));
    Check(again.ok() && again.value() == content.value());
  }

  const auto verified = protocol::VerifyKeyBundle(input, pinned, amparo::fuzz::kKeyBundleToday);
  if (!verified.ok()) return 0;
  const protocol::KeyBundleContent& signed_content = verified.value().content;
  Check(signed_content.expires_day >= amparo::fuzz::kKeyBundleToday);
  const auto reparsed = protocol::ParseKeyBundle(protocol::EncodeKeyBundle(signed_content));
  Check(reparsed.ok() && reparsed.value() == signed_content);
  // Verifying again, with the bundle itself as the last one accepted, changes nothing.
  const auto replayed = protocol::VerifyKeyBundle(input, pinned, amparo::fuzz::kKeyBundleToday,
                                                  protocol::AcceptedStateOf(verified.value()));
  Check(replayed.ok() && replayed.value().content == signed_content);
  return 0;
}
