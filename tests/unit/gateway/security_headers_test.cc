// security_headers_test.cc: TLS answers carry every security header with
// HSTS; the onion listener's carry the same ones without it.

#include "gateway/security_headers.h"

#include <gtest/gtest.h>

#include <string_view>

namespace amparo::gateway {
namespace {

constexpr std::string_view kHsts = "Strict-Transport-Security";

std::size_t Count(Transport transport, std::string_view name) {
  std::size_t count = 0;
  for (const auto& header : SecurityHeaders(transport)) count += header.first == name;
  return count;
}

TEST(SecurityHeadersTest, TlsAnswersCarryHstsAndOnionAnswersDoNot) {
  EXPECT_EQ(Count(Transport::kTls, kHsts), 1u);
  EXPECT_EQ(Count(Transport::kOnion, kHsts), 0u);
}

TEST(SecurityHeadersTest, OnionAnswersCarryEveryOtherHeaderUnchanged) {
  const auto tls = SecurityHeaders(Transport::kTls);
  const auto onion = SecurityHeaders(Transport::kOnion);
  ASSERT_EQ(onion.size() + 1, tls.size());
  for (const auto& header : tls) {
    if (header.first == kHsts) continue;
    std::size_t same = 0;
    for (const auto& other : onion) same += other == header;
    EXPECT_EQ(same, 1u) << header.first;
  }
  for (std::string_view name : {"Content-Security-Policy", "Referrer-Policy",
                                "X-Content-Type-Options", "X-Frame-Options", "Cache-Control"}) {
    EXPECT_EQ(Count(Transport::kOnion, name), 1u) << name;
  }
}

}  // namespace
}  // namespace amparo::gateway
