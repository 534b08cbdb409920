// Fuzzes ReadReplyPlaintext, the submitter's reading of an opened reply: an
// accepted plaintext is a Padmé bucket no larger than its content needs, its
// Reply keeps every bound, and its attachments are exactly as long as the
// manifest says, inside the plaintext.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/limits.h"
#include "fuzz/fuzz_support.h"
#include "protocol/padme.h"
#include "protocol/reply_plaintext.h"

using amparo::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto opened = amparo::protocol::ReadReplyPlaintext(std::span<const std::uint8_t>(data, size));
  if (!opened.ok()) return 0;
  Check(amparo::protocol::IsPadmeBucket(size) && size <= amparo::limits::kMaxReplyPaddedBytes);
  Check(amparo::protocol::ValidateReply(opened.value().reply).ok());
  Check(static_cast<std::size_t>(opened.value().reply.attachments_size()) == opened.value().attachments.size());
  std::size_t total = 0;
  for (int i = 0; i < opened.value().reply.attachments_size(); ++i) {
    Check(opened.value().attachments[static_cast<std::size_t>(i)].size() ==
          opened.value().reply.attachments(i).length());
    total += opened.value().attachments[static_cast<std::size_t>(i)].size();
  }
  Check(total < size);
  return 0;
}
