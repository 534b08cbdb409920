// Fuzzes VerifyAcknowledgementFile with the corpus root as the one accepted
// root: a verified acknowledgement keeps every bound, names that root, and is
// exactly the file EncodeAcknowledgementFile makes of its content and
// signature; no input looks like both kinds of transfer file.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "crypto/signatures.h"
#include "fuzz/fuzz_support.h"
#include "protocol/acknowledgement_file.h"
#include "protocol/export_file.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amparo::crypto::Ed25519PublicKey root{amparo::fuzz::kAcknowledgementRootPublicKey};
  const std::array<amparo::crypto::Ed25519PublicKey, 1> roots = {root};
  const std::span<const std::uint8_t> input(data, size);
  Check(!(protocol::LooksLikeAcknowledgementFile(input) && protocol::LooksLikeExportFile(input)));

  const auto verified = protocol::VerifyAcknowledgementFile(input, roots);
  if (!verified.ok()) return 0;
  const protocol::AcknowledgementContent& content = verified.value().content;
  Check(verified.value().signing_root == root);
  Check(protocol::LooksLikeAcknowledgementFile(input));
  Check(protocol::ValidateAcknowledgement(content).ok());
  // Canonical: the file ends with the signature's field, then the root's
  // (0x1a 0x20 and 32 bytes), and is exactly what the encoder writes.
  constexpr std::size_t kRootField = 2 + amparo::crypto::kEd25519PublicKeySize;
  Check(size >= kRootField + amparo::crypto::kEd25519SignatureSize);
  const auto signature = input.subspan(size - kRootField - amparo::crypto::kEd25519SignatureSize)
                             .first<amparo::crypto::kEd25519SignatureSize>();
  const std::vector<std::uint8_t> encoded = protocol::EncodeAcknowledgementFile(
      protocol::EncodeAcknowledgement(content), signature, root);
  Check(encoded == std::vector<std::uint8_t>(input.begin(), input.end()));
  return 0;
}
