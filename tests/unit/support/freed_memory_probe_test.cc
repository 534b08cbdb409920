// freed_memory_probe_test.cc: the probe sees a pattern left in a released
// block and stays silent when the block was wiped first, so a clean result
// from it means something.

#include "tests/support/freed_memory_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "crypto/secret.h"
#include "tests/support/byte_streams.h"

namespace amparo::test {
namespace {

TEST(FreedMemoryProbeTest, CountsReleasedBlockHoldingThePattern) {
  if (!FreedMemoryProbe::kAvailable) GTEST_SKIP() << "no freed-memory probe under AddressSanitizer";
  const auto pattern = PatternBytes(24);
  FreedMemoryProbe probe(pattern);
  {
    auto copy = std::make_unique<std::vector<std::uint8_t>>(pattern);
    copy->insert(copy->begin(), 7, 0);
  }
  EXPECT_GE(probe.hits(), 1u);
}

TEST(FreedMemoryProbeTest, IgnoresBlockWipedBeforeRelease) {
  if (!FreedMemoryProbe::kAvailable) GTEST_SKIP() << "no freed-memory probe under AddressSanitizer";
  const auto pattern = PatternBytes(24);
  FreedMemoryProbe probe(pattern);
  {
    std::vector<std::uint8_t> copy(pattern);
    crypto::Wipe(copy);
  }
  EXPECT_EQ(probe.hits(), 0u);
}

}  // namespace
}  // namespace amparo::test
