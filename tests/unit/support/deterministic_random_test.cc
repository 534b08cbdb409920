// deterministic_random_test.cc: the test double's stream depends only on its
// seed, not on how it is split into Fill calls.

#include "tests/support/deterministic_random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace amparo::test {
namespace {

std::vector<std::uint8_t> Stream(std::uint64_t seed, std::size_t size, std::size_t step) {
  DeterministicRandom random(seed);
  std::vector<std::uint8_t> out(size);
  for (std::size_t offset = 0; offset < size; offset += step) {
    random.Fill(std::span(out).subspan(offset, std::min(step, size - offset)));
  }
  return out;
}

TEST(DeterministicRandomTest, SameSeedGivesSameStreamWhateverTheSplit) {
  const auto whole = Stream(1, 1000, 1000);
  EXPECT_EQ(Stream(1, 1000, 1), whole);
  EXPECT_EQ(Stream(1, 1000, 63), whole);
  EXPECT_EQ(Stream(1, 1000, 65), whole);
}

TEST(DeterministicRandomTest, DifferentSeedsGiveDifferentStreams) {
  EXPECT_NE(Stream(1, 64, 64), Stream(2, 64, 64));
  EXPECT_NE(Stream(1, 64, 64), Stream(std::uint64_t{1} << 56, 64, 64));
}

TEST(DeterministicRandomTest, ConsecutiveBlocksDiffer) {
  const auto stream = Stream(3, 128, 128);
  EXPECT_FALSE(std::equal(stream.begin(), stream.begin() + 64, stream.begin() + 64));
}

}  // namespace
}  // namespace amparo::test
