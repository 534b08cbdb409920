// random_test.cc: SystemRandom fills the whole buffer with fresh bytes.

#include "crypto/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace amparo::crypto {
namespace {

TEST(SystemRandomTest, FillsEveryByteAndNeverRepeats) {
  SystemRandom random;
  std::array<std::uint8_t, 64> a{};
  std::array<std::uint8_t, 64> b{};
  random.Fill(a);
  random.Fill(b);
  EXPECT_NE(a, b);
  // 64 zero bytes at the end would mean the tail was never written.
  EXPECT_FALSE(std::all_of(a.begin() + 32, a.end(), [](std::uint8_t x) { return x == 0; }));
}

TEST(SystemRandomTest, EmptyFillIsHarmless) {
  SystemRandom random;
  random.Fill({});
  std::array<std::uint8_t, 1> one{};
  int nonzero = 0;
  for (int i = 0; i < 64; ++i) {
    random.Fill(one);
    nonzero += one[0] != 0 ? 1 : 0;
  }
  EXPECT_GT(nonzero, 0);
}

}  // namespace
}  // namespace amparo::crypto
