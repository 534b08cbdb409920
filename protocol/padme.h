#pragma once
// padme.h: Padmé padding (Nikitin et al., PETS 2019) with the floor and the
// ceiling of ENVELOPE.md section 5. The padded length P is the only size the
// gateway sees, so it must reveal no more than O(log log n) bits of the
// content length.

#include <bit>
#include <cstdint>
#include <cstdlib>

#include "common/limits.h"
#include "common/result.h"

namespace amparo::protocol {

// kMinPaddedLength is the floor: every content up to 4096 bytes pads to it,
// so short submissions all look the same.
inline constexpr std::uint64_t kMinPaddedLength = 4096;

// Padme returns padme(n): n rounded up so that only its S + 1 highest bits may
// be non-zero. n < 2 is returned unchanged. n must be at most 2^63 (larger
// values could round past 2^64); any larger n is a broken invariant and
// aborts in every build.
constexpr std::uint64_t Padme(std::uint64_t n) {
  if (n > (std::uint64_t{1} << 63)) std::abort();
  if (n < 2) return n;
  const auto e = static_cast<std::uint64_t>(std::bit_width(n) - 1);  // floor(log2 n)
  const auto s = static_cast<std::uint64_t>(std::bit_width(e));      // floor(log2 E) + 1
  const std::uint64_t mask = (std::uint64_t{1} << (e - s)) - 1;
  return (n + mask) & ~mask;
}

// IsPadmeBucket reports whether n is an admissible padded length: at least
// the floor and a fixed point of padme. Total over every uint64 value, so it
// can be called on untrusted input.
constexpr bool IsPadmeBucket(std::uint64_t n) {
  if (n < kMinPaddedLength) return false;
  const auto e = static_cast<std::uint64_t>(std::bit_width(n) - 1);
  const auto s = static_cast<std::uint64_t>(std::bit_width(e));
  const std::uint64_t mask = (std::uint64_t{1} << (e - s)) - 1;
  return (n & mask) == 0;
}

// LargestBucketAtMost returns the largest bucket <= ceiling, or 0 if the
// ceiling is below the floor.
constexpr std::uint64_t LargestBucketAtMost(std::uint64_t ceiling) {
  if (ceiling < kMinPaddedLength) return 0;
  if (ceiling > (std::uint64_t{1} << 63)) ceiling = std::uint64_t{1} << 63;
  // Buckets of the same bit length are the multiples of 2^lastBits; the
  // largest one below the ceiling is the ceiling rounded down.
  const auto e = static_cast<std::uint64_t>(std::bit_width(ceiling) - 1);
  const auto s = static_cast<std::uint64_t>(std::bit_width(e));
  const std::uint64_t mask = (std::uint64_t{1} << (e - s)) - 1;
  return ceiling & ~mask;
}

// kLargestPaddedBucket is the largest bucket under the compiled ceiling
// (1 GiB, the ceiling itself): the most content a version 1 envelope can
// carry.
inline constexpr std::uint64_t kLargestPaddedBucket =
    LargestBucketAtMost(limits::kMaxPaddedLength);
static_assert(kLargestPaddedBucket == 1073741824);
static_assert(IsPadmeBucket(kMinPaddedLength));

// PaddedLength returns pad(content_length): the floor for content up to 4096
// bytes, padme(content_length) above it. kLimitExceeded if that bucket is
// larger than max_padded_length (itself capped at the compiled ceiling): the
// client must refuse such content before sealing.
Result<std::uint64_t> PaddedLength(std::uint64_t content_length,
                                   std::uint64_t max_padded_length = limits::kMaxPaddedLength);

}  // namespace amparo::protocol
