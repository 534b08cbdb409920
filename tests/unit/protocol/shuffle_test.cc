// shuffle_test.cc: indices are uniform and in range, and a shuffle of eight
// reaches every arrangement position with even frequency.

#include "protocol/shuffle.h"

#include <gtest/gtest.h>

#include <array>
#include <numeric>

#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

TEST(ShuffleTest, UniformIndexStaysInRangeAndCoversIt) {
  amparo::test::DeterministicRandom random(1);
  for (std::size_t bound : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                            std::size_t{8}}) {
    std::array<int, 8> seen{};
    for (int i = 0; i < 8000; ++i) {
      const std::size_t index = UniformIndex(bound, random);
      ASSERT_LT(index, bound);
      ++seen[index];
    }
    for (std::size_t i = 0; i < bound; ++i) {
      EXPECT_NEAR(seen[i], 8000.0 / static_cast<double>(bound), 8000.0 / static_cast<double>(bound) * 0.15);
    }
  }
}

TEST(ShuffleTest, ShuffleIsAPermutationWithUniformPositions) {
  amparo::test::DeterministicRandom random(2);
  std::array<std::array<int, 8>, 8> position_counts{};
  constexpr int kRounds = 16000;
  for (int round = 0; round < kRounds; ++round) {
    std::array<int, 8> items{};
    std::iota(items.begin(), items.end(), 0);
    Shuffle(std::span(items), random);
    std::array<int, 8> sorted = items;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 8; ++i) ASSERT_EQ(sorted[static_cast<std::size_t>(i)], i);
    for (std::size_t position = 0; position < 8; ++position) {
      ++position_counts[static_cast<std::size_t>(items[position])][position];
    }
  }
  for (const auto& row : position_counts) {
    for (int count : row) EXPECT_NEAR(count, kRounds / 8, kRounds / 8 * 0.12);
  }
}

TEST(ShuffleTest, ShufflingOneOrNoItemDrawsNothing) {
  amparo::test::DeterministicRandom used(3);
  amparo::test::DeterministicRandom fresh(3);
  std::array<int, 1> one = {5};
  Shuffle(std::span(one), used);
  EXPECT_EQ(one[0], 5);
  EXPECT_EQ(UniformIndex(8, used), UniformIndex(8, fresh));
}

}  // namespace
}  // namespace amparo::protocol
