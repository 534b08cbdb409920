#include "protocol/root_signed.h"

#include <algorithm>

#include "protocol/canonical_encoding.h"

namespace amparo::protocol {
namespace {

constexpr std::uint8_t kContentTag = 0x0a;
constexpr std::uint8_t kSignatureTag = 0x12;
constexpr std::uint8_t kRootTag = 0x1a;

}  // namespace

Result<RootSigned> OpenRootSigned(ByteReader reader,
                                  std::span<const crypto::Ed25519PublicKey> accepted_roots,
                                  std::string_view context) {
  RootSigned opened;
  std::span<const std::uint8_t> signature;
  std::span<const std::uint8_t> root;
  if (!ReadLengthDelimited(reader, kContentTag, &opened.content) ||
      !ReadLengthDelimited(reader, kSignatureTag, &signature) ||
      !ReadLengthDelimited(reader, kRootTag, &root) || !reader.empty() ||
      signature.size() != crypto::kEd25519SignatureSize ||
      root.size() != crypto::kEd25519PublicKeySize) {
    return Error::kMalformedTransfer;
  }
  std::copy(root.begin(), root.end(), opened.root.bytes.begin());
  if (std::find(accepted_roots.begin(), accepted_roots.end(), opened.root) == accepted_roots.end() ||
      !crypto::VerifySignature(opened.root, context, opened.content, signature)) {
    return Error::kBadSignature;
  }
  return opened;
}

}  // namespace amparo::protocol
