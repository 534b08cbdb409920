// Fuzzes the keystore file's framing (SplitKeystoreFile) and the opening of
// its box under a fixed key, as amparo-review does once the key is derived:
// a split file's parts add up to it and carry an acceptable cost; a box
// that opens under the fixed key was sealed with this very header as its
// associated data, and its plaintext is as long as the box less nonce and tag.
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/passphrase_box.h"
#include "fuzz/fuzz_support.h"
#include "reviewer/keystore_file.h"

namespace {

using amparo::fuzz::Check;
namespace crypto = amparo::crypto;

crypto::SecretBytes<crypto::kBoxKeyBytes> FixedKey() {
  crypto::SecretBytes<crypto::kBoxKeyBytes> key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = amparo::fuzz::kKeystoreBoxKeyByte;
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto key = FixedKey();
  const std::span<const std::uint8_t> file(data, size);
  const auto split = amparo::reviewer::SplitKeystoreFile(file);
  if (!split.ok()) return 0;
  Check(crypto::AcceptableCost(split.value().header.cost));
  Check(split.value().associated.size() == amparo::reviewer::kKeystoreHeaderBytes);
  Check(split.value().associated.size() + split.value().box.size() == size);
  const auto header = amparo::reviewer::EncodeKeystoreHeader(split.value().header);
  Check(std::equal(header.begin(), header.end(), file.begin()));
  const auto opened = crypto::OpenBox(key, split.value().associated, split.value().box);
  if (opened.ok()) {
    Check(opened.value().size() ==
          split.value().box.size() - crypto::kBoxNonceBytes - crypto::kBoxTagBytes);
  }
  return 0;
}
