#include "reviewer/keystore_file.h"

#include <algorithm>

#include "common/limits.h"

namespace amparo::reviewer {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'A', 'M', 'P', 'K'};
constexpr std::uint8_t kVersion = 1;

void PutBigEndian(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t GetBigEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t value = 0;
  for (std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

}  // namespace

std::vector<std::uint8_t> EncodeKeystoreHeader(const KeystoreHeader& header) {
  std::vector<std::uint8_t> out(kMagic.begin(), kMagic.end());
  out.push_back(kVersion);
  PutBigEndian(out, header.cost.opslimit, 4);
  PutBigEndian(out, header.cost.memlimit, 8);
  out.insert(out.end(), header.salt.begin(), header.salt.end());
  return out;
}

Result<SplitKeystore> SplitKeystoreFile(std::span<const std::uint8_t> file) {
  if (file.size() > limits::kMaxKeystoreFileBytes) return Error::kLimitExceeded;
  if (file.size() < kKeystoreHeaderBytes + crypto::kBoxNonceBytes + crypto::kBoxTagBytes ||
      !std::equal(kMagic.begin(), kMagic.end(), file.begin()) || file[4] != kVersion) {
    return Error::kInvalidKey;
  }
  SplitKeystore split;
  split.header.cost.opslimit = GetBigEndian(file.subspan(5, 4));
  split.header.cost.memlimit = GetBigEndian(file.subspan(9, 8));
  // A crafted file must not make us spend minutes or gigabytes.
  if (!crypto::AcceptableCost(split.header.cost)) return Error::kInvalidKey;
  std::copy_n(file.begin() + 17, split.header.salt.size(), split.header.salt.begin());
  split.associated = file.first(kKeystoreHeaderBytes);
  split.box = file.subspan(kKeystoreHeaderBytes);
  return split;
}

}  // namespace amparo::reviewer
