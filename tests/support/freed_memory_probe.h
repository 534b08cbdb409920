#pragma once
// freed_memory_probe.h: a probe that inspects every heap block the program
// releases through operator delete, to prove that a secret was wiped before
// its memory went back to the allocator. Linking freed_memory_probe.cc
// replaces the global operator delete of the test binary; while no probe is
// active the replacement only forwards to free().

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/sanitizer_build.h"

namespace amparo::test {

// FreedMemoryProbe counts, from construction to destruction, the released
// blocks that still contain `pattern` (at most kMaxPatternSize bytes). Only
// one probe may be active at a time.
class FreedMemoryProbe {
 public:
  static constexpr std::size_t kMaxPatternSize = 64;

  explicit FreedMemoryProbe(std::span<const std::uint8_t> pattern);
  ~FreedMemoryProbe();
  FreedMemoryProbe(const FreedMemoryProbe&) = delete;
  FreedMemoryProbe& operator=(const FreedMemoryProbe&) = delete;

  // hits is how many released blocks held the pattern so far.
  std::size_t hits() const;

  // kAvailable is false under AddressSanitizer, which owns operator delete
  // (and poisons freed memory itself): there the probe sees nothing, and
  // tests that need it skip, saying why.
  static constexpr bool kAvailable = !kSanitizerBuild;
};

}  // namespace amparo::test
