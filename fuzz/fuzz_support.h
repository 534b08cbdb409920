#pragma once
// fuzz_support.h: what the fuzz targets and the corpus generator share.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/io.h"
#include "common/result.h"

namespace amparo::fuzz {

// kIdentity is the X25519 identity that age_decrypt opens with: the one of
// the C2SP CCTV vectors, so that imported vectors reach the payload as well
// as the files make_corpus seals to it.
inline constexpr std::string_view kIdentity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
// kPassphrase opens the scrypt seeds (and the CCTV scrypt vectors, whose work
// factor is above kMaxScryptLogN).
inline constexpr std::string_view kPassphrase = "password";
// kMaxScryptLogN keeps every scrypt attempt to a few microseconds.
inline constexpr int kMaxScryptLogN = 4;

// Check stops the process with a crash that libFuzzer and ctest both see when
// a property of a target does not hold.
inline void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// AsChars views fuzzer input as text.
inline std::string_view AsChars(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// SplitSource serves a borrowed span a few bytes per Read, the counts cycling
// through `steps` (each at least 1), so that a parser meets every read
// boundary a slow stream could give it. Both spans must outlive it.
class SplitSource final : public ByteSource {
 public:
  SplitSource(std::span<const std::uint8_t> data, std::span<const std::size_t> steps)
      : data_(data), steps_(steps) {}

  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const std::size_t step = steps_[next_step_++ % steps_.size()];
    const std::size_t n = std::min({out.size(), step, data_.size()});
    std::copy_n(data_.begin(), n, out.begin());
    data_ = data_.subspan(n);
    return n;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::span<const std::size_t> steps_;
  std::size_t next_step_ = 0;
};

}  // namespace amparo::fuzz
