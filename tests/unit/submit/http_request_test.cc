#include "submit/http_request.h"

#include <gtest/gtest.h>

#include "submit/client_limits.h"

namespace amparo::submit {
namespace {

TEST(HttpRequestTest, FormatsAGetWithoutBodyHeaders) {
  auto head = FormatRequestHead("GET", "gw.example:8443", "/v1/uploads/00ff", "", std::nullopt);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head.value(), "GET /v1/uploads/00ff HTTP/1.1\r\nHost: gw.example:8443\r\n\r\n");
}

TEST(HttpRequestTest, FormatsABodyWithTypeAndLength) {
  auto head = FormatRequestHead("PUT", "gw.example", "/v1/uploads/ab?offset=1048576",
                                "application/octet-stream", 42);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head.value(),
            "PUT /v1/uploads/ab?offset=1048576 HTTP/1.1\r\nHost: gw.example\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: 42\r\n\r\n");
}

TEST(HttpRequestTest, RefusesAnythingThatCouldSplitTheRequest) {
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example", "/a b", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example", "/a\r\nX: y", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example", "relative", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example", "", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example\r\nX: y", "/", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("G T", "gw.example", "/", "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("POST", "gw.example", "/", "text", 1).ok());
  EXPECT_FALSE(FormatRequestHead("POST", "gw.example", "/", "a/b\r\n", 1).ok());
  EXPECT_FALSE(FormatRequestHead("POST", "gw.example", "/", "a/b", std::nullopt).ok());
}

TEST(HttpRequestTest, TargetLengthIsBounded) {
  const std::string at_limit = "/" + std::string(client_limits::kMaxRequestTargetBytes - 1, 'a');
  EXPECT_TRUE(FormatRequestHead("GET", "gw.example", at_limit, "", std::nullopt).ok());
  EXPECT_FALSE(FormatRequestHead("GET", "gw.example", at_limit + "a", "", std::nullopt).ok());
}

}  // namespace
}  // namespace amparo::submit
