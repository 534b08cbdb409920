#pragma once
// shuffle.h: unbiased random permutations driven by an injected random
// source, for the order of an envelope's stanzas.

#include <cstddef>
#include <span>
#include <utility>

#include "crypto/random.h"

namespace amparo::protocol {

// UniformIndex returns an integer uniformly distributed in [0, bound), by
// rejection sampling rather than a biased modulo. bound must be in
// [1, 2^32]; anything else is a broken invariant and aborts.
std::size_t UniformIndex(std::size_t bound, crypto::RandomSource& random);

// Shuffle permutes items uniformly at random (Fisher-Yates), so that the
// position of a real stanza says nothing about which one it is.
template <typename T, std::size_t Extent>
void Shuffle(std::span<T, Extent> items, crypto::RandomSource& random) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = UniformIndex(i, random);
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace amparo::protocol
