#pragma once
// http_exchange.h: requests to the gateway's API over the test TLS client,
// for the integration drivers: building a request, sending it over a
// kept-alive connection that is reopened after a failure, and reading the
// API's receipts and upload statuses.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/envelope_store.h"
#include "tests/support/tls_client.h"

namespace amparo::test {

// HttpRequest returns one HTTP/1.1 request; a Content-Length is sent with
// every method but GET.
std::string HttpRequest(std::string_view method, std::string_view target,
                        std::string_view body = {}, std::string_view content_type = {});

enum class Outcome {
  kNotSent,   // no connection: the gateway cannot have seen the request
  kNoAnswer,  // sent (perhaps in part), no answer: it may have taken effect
  kAnswered,
};

struct Exchange {
  Outcome outcome = Outcome::kNotSent;
  HttpReply reply;
};

// KeptAliveConnection sends requests over one kept-alive TLS connection,
// opening a new one after a failure or a "Connection: close". Each step
// waits at most `timeout`. Not thread-safe.
class KeptAliveConnection {
 public:
  KeptAliveConnection(std::uint16_t port, std::chrono::milliseconds timeout)
      : port_(port), timeout_(timeout) {}

  Exchange Send(const std::string& request);

 private:
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<TlsClient> client_;
};

// ParseReceipt returns the envelope id of a SubmissionReceipt body.
std::optional<storage::EnvelopeId> ParseReceipt(const std::string& body);

struct UploadStatus {
  storage::UploadId id;
  std::uint64_t committed = 0;
  std::uint64_t total = 0;
};

// ParseUploadStatus reads an UploadStatus body.
std::optional<UploadStatus> ParseUploadStatus(const std::string& body);

}  // namespace amparo::test
