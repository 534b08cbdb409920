// sodium_test.cc: EnsureSodium leaves libsodium initialised and may be called
// any number of times.

#include "crypto/sodium.h"

#include <sodium.h>

#include <gtest/gtest.h>

namespace amparo::crypto {
namespace {

TEST(EnsureSodiumTest, InitialisesLibsodiumOnce) {
  EnsureSodium();
  EnsureSodium();
  // sodium_init returns 1 when the library was already initialised.
  EXPECT_EQ(sodium_init(), 1);
}

}  // namespace
}  // namespace amparo::crypto
