#include "tests/support/http_exchange.h"

#include <utility>

#include "common/byte_reader.h"
#include "proto/api.pb.h"

namespace amparo::test {

std::string HttpRequest(std::string_view method, std::string_view target, std::string_view body,
                        std::string_view content_type) {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  if (!content_type.empty()) request.append("Content-Type: ").append(content_type).append("\r\n");
  if (method != "GET") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  return request;
}

Exchange KeptAliveConnection::Send(const std::string& request) {
  if (!client_) {
    auto client = std::make_unique<TlsClient>();
    if (!client->Connect(port_, timeout_)) return {};
    client_ = std::move(client);
  }
  if (!client_->Send(request, timeout_)) {
    client_.reset();
    return {Outcome::kNoAnswer, {}};
  }
  auto reply = client_->ReadResponse(timeout_);
  if (!reply) {
    client_.reset();
    return {Outcome::kNoAnswer, {}};
  }
  if (reply->Header("Connection") == "close") client_.reset();
  return {Outcome::kAnswered, std::move(*reply)};
}

std::optional<storage::EnvelopeId> ParseReceipt(const std::string& body) {
  v1::SubmissionReceipt receipt;
  if (!receipt.ParseFromString(body)) return std::nullopt;
  auto id = storage::EnvelopeId::FromBytes(AsBytes(receipt.envelope_id()));
  if (!id.ok() || id.value().IsZero()) return std::nullopt;
  return id.value();
}

std::optional<UploadStatus> ParseUploadStatus(const std::string& body) {
  v1::UploadStatus message;
  if (!message.ParseFromString(body)) return std::nullopt;
  auto id = storage::UploadId::FromBytes(AsBytes(message.upload_id()));
  if (!id.ok() || id.value().IsZero()) return std::nullopt;
  return UploadStatus{id.value(), message.committed_length(), message.total_length()};
}

}  // namespace amparo::test
