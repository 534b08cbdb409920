// onion_host_test.cc: the onion listener's Host check accepts the names of
// onion services, with a port or a final dot, and nothing else.

#include "gateway/onion_host.h"

#include <gtest/gtest.h>

#include <string>

namespace amparo::gateway {
namespace {

constexpr char kV3[] = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion";

TEST(OnionHostTest, AcceptsOnionNamesWithOrWithoutAPort) {
  EXPECT_TRUE(IsOnionHost(kV3));
  EXPECT_TRUE(IsOnionHost(std::string(kV3) + ":80"));
  EXPECT_TRUE(IsOnionHost(std::string(kV3) + "."));
  EXPECT_TRUE(IsOnionHost(std::string(kV3) + ".:8080"));
  EXPECT_TRUE(IsOnionHost("front.example.ONION"));  // any case, any depth
  EXPECT_TRUE(IsOnionHost("a.onion"));
}

TEST(OnionHostTest, RefusesEveryOtherHost) {
  EXPECT_FALSE(IsOnionHost(""));
  EXPECT_FALSE(IsOnionHost("127.0.0.1"));
  EXPECT_FALSE(IsOnionHost("127.0.0.1:8080"));
  EXPECT_FALSE(IsOnionHost("localhost"));
  EXPECT_FALSE(IsOnionHost("[::1]:8080"));
  EXPECT_FALSE(IsOnionHost("gateway.example.org"));
  EXPECT_FALSE(IsOnionHost("onion"));
  EXPECT_FALSE(IsOnionHost(".onion"));
  EXPECT_FALSE(IsOnionHost("..onion"));
  EXPECT_FALSE(IsOnionHost("a.onion.example.org"));
  EXPECT_FALSE(IsOnionHost("aonion"));
  EXPECT_FALSE(IsOnionHost("a.onion.."));
  EXPECT_FALSE(IsOnionHost("a b.onion"));
  EXPECT_FALSE(IsOnionHost("a_b.onion"));
  EXPECT_FALSE(IsOnionHost(std::string("a\0b.onion", 9)));
  EXPECT_FALSE(IsOnionHost("user@a.onion"));
  // Empty labels.
  EXPECT_FALSE(IsOnionHost(".a.onion"));
  EXPECT_FALSE(IsOnionHost("a..b.onion"));
}

TEST(OnionHostTest, APortHasOneToFiveDigits) {
  EXPECT_TRUE(IsOnionHost("a.onion:1"));
  EXPECT_TRUE(IsOnionHost("a.onion:65535"));
  EXPECT_TRUE(IsOnionHost("a.onion:99999"));     // 5 digits: the grammar's bound
  EXPECT_FALSE(IsOnionHost("a.onion:100000"));   // 6 digits
  EXPECT_FALSE(IsOnionHost("a.onion:"));
  EXPECT_FALSE(IsOnionHost("a.onion:8o"));
  EXPECT_FALSE(IsOnionHost("a.onion:80:80"));
}

}  // namespace
}  // namespace amparo::gateway
