#pragma once
// plain_connector.h: a Connector for amparo-submit's GatewayClient that opens
// plain TCP connections to a loopback port, so that tests can drive the HTTP
// layer and the commands without TLS.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "submit/http_client.h"
#include "submit/tcp.h"

namespace amparo::test {

// PlainConnector connects to 127.0.0.1:port and counts its connections.
class PlainConnector final : public submit::Connector {
 public:
  explicit PlainConnector(std::uint16_t port) : port_(port) {}
  Result<std::unique_ptr<submit::Stream>> Connect() override {
    auto tcp = submit::TcpStream::Connect("127.0.0.1", port_, submit::Deadline::InSeconds(5),
                                          std::chrono::seconds(5));
    if (!tcp.ok()) return tcp.error();
    return std::unique_ptr<submit::Stream>(std::move(tcp.value()));
  }
  std::string_view last_failure() const override { return "cannot connect (test)"; }

 private:
  std::uint16_t port_;
};

}  // namespace amparo::test
