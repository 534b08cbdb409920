// Fuzzes VerifyRepliesFile with the corpus root as the one accepted root: a
// verified file keeps every bound, names that root, and is exactly the file
// EncodeRepliesFile makes of its content and signature.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "protocol/replies_file.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amparo::crypto::Ed25519PublicKey root{amparo::fuzz::kAcknowledgementRootPublicKey};
  const std::array<amparo::crypto::Ed25519PublicKey, 1> roots = {root};
  const std::span<const std::uint8_t> input(data, size);
  const auto verified = protocol::VerifyRepliesFile(input, roots);
  if (!verified.ok()) return 0;
  Check(verified.value().signing_root == root);
  Check(protocol::LooksLikeRepliesFile(input));
  Check(protocol::ValidateReplies(verified.value().content).ok());
  constexpr std::size_t kRootField = 2 + amparo::crypto::kEd25519PublicKeySize;
  Check(size >= kRootField + amparo::crypto::kEd25519SignatureSize);
  const auto signature = input.subspan(size - kRootField - amparo::crypto::kEd25519SignatureSize)
                             .first<amparo::crypto::kEd25519SignatureSize>();
  const std::vector<std::uint8_t> encoded = protocol::EncodeRepliesFile(
      protocol::EncodeReplies(verified.value().content), signature, root);
  Check(encoded == std::vector<std::uint8_t>(input.begin(), input.end()));
  return 0;
}
