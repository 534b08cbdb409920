#include "submit/gateway_url.h"

#include <gtest/gtest.h>

#include <string>

namespace amparo::submit {
namespace {

TEST(GatewayUrlTest, ParsesHostAndDefaultPort) {
  auto url = ParseGatewayUrl("https://Gateway.Example.org/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url.value().address.host, "gateway.example.org");
  EXPECT_EQ(url.value().address.port, 443);
  EXPECT_EQ(url.value().host_header, "gateway.example.org");
  EXPECT_FALSE(url.value().onion);
}

TEST(GatewayUrlTest, ParsesPortsAndIpLiterals) {
  auto v4 = ParseGatewayUrl("https://127.0.0.1:8443");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4.value().address.host, "127.0.0.1");
  EXPECT_EQ(v4.value().address.port, 8443);
  EXPECT_EQ(v4.value().host_header, "127.0.0.1:8443");
  auto v6 = ParseGatewayUrl("https://[::1]:8443/");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6.value().address.host, "::1");
  EXPECT_EQ(v6.value().host_header, "[::1]:8443");
}

TEST(GatewayUrlTest, RecognisesOnionServices) {
  auto url = ParseGatewayUrl(
      "https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url.value().onion);
}

TEST(GatewayUrlTest, AnOnionNameLosesItsFinalDot) {
  // Tor recognises an onion name only without it.
  const std::string onion = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion";
  for (const std::string scheme : {"https://", "http://"}) {
    auto url = ParseGatewayUrl(scheme + onion + ".:8080/");
    ASSERT_TRUE(url.ok()) << scheme;
    EXPECT_TRUE(url.value().onion);
    EXPECT_EQ(url.value().address.host, onion);
    EXPECT_EQ(url.value().host_header, onion + ":8080");
  }
}

TEST(GatewayUrlTest, PlainHttpOnlyForOnionServices) {
  const std::string onion = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion";
  auto url = ParseGatewayUrl("HTTP://" + onion + "/");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url.value().tls);
  EXPECT_TRUE(url.value().onion);
  EXPECT_EQ(url.value().address.port, 80);
  EXPECT_EQ(url.value().host_header, onion);
  auto port = ParseGatewayUrl("http://" + onion + ":8080");
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(port.value().address.port, 8080);
  EXPECT_EQ(port.value().host_header, onion + ":8080");
  // Over TLS the default port is 443, and 80 is named.
  auto tls = ParseGatewayUrl("https://" + onion + ":80");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls.value().tls);
  EXPECT_EQ(tls.value().host_header, onion + ":80");
  // Outside Tor, plain HTTP would expose the exchange.
  for (const char* text : {"http://gw.example", "http://127.0.0.1:8080", "http://[::1]:80",
                           "http://onion", "http://gw.example/x.onion"}) {
    EXPECT_FALSE(ParseGatewayUrl(text).ok()) << text;
  }
}

TEST(GatewayUrlTest, RefusesEverythingElse) {
  for (const char* text : {
           "http://gw.example",         // no TLS, and not an onion service
           "ftp://gw.example",          //
           "https:/gw.example",         //
           "gw.example",                //
           "https://",                  //
           "https://gw.example/v1",     // a path
           "https://gw.example?x=1",    // a query
           "https://gw.example#x",      //
           "https://user@gw.example",   // user information
           "https://gw.example:0",      //
           "https://gw.example:65536",  //
           "https://gw.example:",       //
           "https://gw.example:+1",     //
           "https://gw ex.example",     //
           "https://[::1",              //
           "https://[gw.example]:1",    // brackets hold only IPv6
           "https://.gw.example",       //
           "https://gw..example",       //
       }) {
    EXPECT_FALSE(ParseGatewayUrl(text).ok()) << text;
  }
}

TEST(GatewayUrlTest, HostNamesAreBoundedAt255Bytes) {
  const std::string at_limit(255, 'a');
  EXPECT_TRUE(ParseGatewayUrl("https://" + at_limit).ok());
  EXPECT_FALSE(ParseGatewayUrl("https://a" + at_limit).ok());
}

TEST(HostPortTest, RequiresAPort) {
  auto proxy = ParseHostPort("127.0.0.1:9050");
  ASSERT_TRUE(proxy.ok());
  EXPECT_EQ(proxy.value().host, "127.0.0.1");
  EXPECT_EQ(proxy.value().port, 9050);
  auto v6 = ParseHostPort("[::1]:9150");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6.value().host, "::1");
  EXPECT_FALSE(ParseHostPort("127.0.0.1").ok());
  EXPECT_FALSE(ParseHostPort("localhost:x").ok());
}

}  // namespace
}  // namespace amparo::submit
