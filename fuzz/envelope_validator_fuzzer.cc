// Fuzzes ValidateEnvelope and ValidateEnvelopeHead under the default policy:
// an accepted envelope is exactly total_length bytes long, and the head check
// on the same bytes (whole, cut to kMaxEnvelopeHeadBytes, or with the length
// declared) agrees with it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/limits.h"
#include "common/result.h"
#include "fuzz/fuzz_support.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_validator.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

bool SameHead(const protocol::EnvelopeHead& a, const protocol::EnvelopeHead& b) {
  return a.format_version == b.format_version && a.key_bundle_version == b.key_bundle_version &&
         a.padded_length == b.padded_length && a.head_length == b.head_length &&
         a.total_length == b.total_length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const protocol::AcceptancePolicy policy;
  const auto whole = protocol::ValidateEnvelope(input, policy);
  const auto head = protocol::ValidateEnvelopeHead(input, policy);
  // Only the first kMaxEnvelopeHeadBytes bytes may decide the head's verdict.
  const auto cut = protocol::ValidateEnvelopeHead(
      input.first(std::min(size, protocol::kMaxEnvelopeHeadBytes)), policy);
  Check(head.ok() == cut.ok());
  if (head.ok()) {
    Check(SameHead(head.value(), cut.value()));
    Check(head.value().head_length <= size);
    Check(head.value().head_length <= head.value().total_length);
  } else {
    Check(head.error() == cut.error());
  }

  if (!whole.ok()) {
    // Failing only at the last step means a length other than the one implied.
    if (head.ok() && size <= amparo::limits::kMaxEnvelopeBytes) {
      Check(head.value().total_length != size);
    }
    return 0;
  }
  Check(whole.value().total_length == size);
  Check(head.ok() && SameHead(whole.value(), head.value()));
  const auto declared = protocol::ValidateEnvelopeHead(input, policy, size);
  Check(declared.ok() && SameHead(whole.value(), declared.value()));
  return 0;
}
