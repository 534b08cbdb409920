#include "protocol/padme.h"

#include <algorithm>

namespace amparo::protocol {

Result<std::uint64_t> PaddedLength(std::uint64_t content_length,
                                   std::uint64_t max_padded_length) {
  const std::uint64_t ceiling = std::min(max_padded_length, limits::kMaxPaddedLength);
  // Checked before Padme, which is only defined up to 2^63.
  if (content_length > ceiling) return Error::kLimitExceeded;
  const std::uint64_t padded =
      content_length <= kMinPaddedLength ? kMinPaddedLength : Padme(content_length);
  if (padded > ceiling) return Error::kLimitExceeded;
  return padded;
}

}  // namespace amparo::protocol
