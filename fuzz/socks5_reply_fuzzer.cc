// Fuzzes Socks5ReplyLength and ParseSocks5Reply: a successful reply is
// accepted exactly when its first 5 bytes announce its length, its code is
// success and nothing follows; any longer input is refused.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "fuzz/fuzz_support.h"
#include "submit/socks5.h"

namespace {

namespace submit = amparo::submit;
using amparo::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  // Socks5ReplyLength reads exactly 5 bytes.
  if (size != 5) Check(!submit::Socks5ReplyLength(input).ok());
  const bool accepted = submit::ParseSocks5Reply(input).ok();
  if (size < 5) {
    Check(!accepted);
    return 0;
  }
  const auto length = submit::Socks5ReplyLength(input.first(5));
  if (!length.ok()) {
    Check(!accepted);
    return 0;
  }
  const std::size_t total = length.value();
  Check(total >= 7 && total <= 4 + 256 + 2);
  const bool succeeded = input[1] == submit::kSocksReplySucceeded;
  Check(accepted == (succeeded && total == size));
  if (total <= size) {
    Check(submit::ParseSocks5Reply(input.first(total)).ok() == succeeded);
  }
  Check(!submit::Socks5ReplyDescription(input[1]).empty());
  return 0;
}
