#include "submit/uploader.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "submit/client_limits.h"

namespace amparo::submit {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";
constexpr std::string_view kProtobuf = "application/x-protobuf";

// Uploader runs one resumable upload.
class Uploader {
 public:
  Uploader(GatewayClient& client, const EnvelopeBuffer& buffer, const UploadHooks& hooks,
           std::string_view* failure)
      : client_(client), buffer_(buffer), hooks_(hooks), failure_(failure) {}

  Result<SubmissionReceipt> Run();

 private:
  Error Fail(Error error, std::string_view description) {
    *failure_ = description;
    return error;
  }
  Error FailRefused(const HttpReply& reply) {
    const Refusal refusal = ClassifyRefusal(reply.status, reply.body);
    return Fail(refusal.error, refusal.description);
  }
  Error FailTransport(Error error) { return Fail(error, client_.last_failure()); }

  // Backoff counts a failed step and waits before the next; false once the
  // attempts are spent.
  bool Backoff();
  // Accept takes a status the gateway reported; kIo if it contradicts ours.
  Status Accept(const UploadStatus& status);
  Status Create();
  // Resync asks the gateway how much it committed; counts as a step.
  Status Resync();
  Result<SubmissionReceipt> Finalize();
  void Report() {
    if (hooks_.progress) hooks_.progress(committed_, buffer_.size());
  }
  std::string UploadPath() const { return "/v1/uploads/" + HexEncode(status_.upload_id); }

  GatewayClient& client_;
  const EnvelopeBuffer& buffer_;
  const UploadHooks& hooks_;
  std::string_view* failure_;
  UploadStatus status_;
  std::uint64_t committed_ = 0;
  int failures_ = 0;
};

bool Uploader::Backoff() {
  if (++failures_ >= kMaxUploadAttempts) return false;
  const auto delay = std::chrono::milliseconds(500) * (1 << std::min(failures_ - 1, 4));
  if (hooks_.wait) {
    hooks_.wait(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
  return true;
}

Status Uploader::Accept(const UploadStatus& status) {
  // The gateway is the authority on what it has stored, even if that is
  // less than it said before; but never a different upload or length.
  if (status.upload_id != status_.upload_id || status.total_length != buffer_.size()) {
    return Fail(Error::kIo, "the gateway's upload status contradicts the upload");
  }
  committed_ = status.committed_length;
  Report();
  return OkStatus();
}

Status Uploader::Create() {
  const std::size_t head_length =
      static_cast<std::size_t>(std::min<std::uint64_t>(kUploadHeadBytes, buffer_.size()));
  std::vector<std::uint8_t> head(head_length);
  if (!buffer_.ReadAt(0, head).ok()) return Fail(Error::kIo, "cannot read the sealed envelope back");
  const std::vector<std::uint8_t> request = EncodeUploadRequest(buffer_.size(), head);
  for (;;) {
    auto reply = client_.Post("/v1/uploads", kProtobuf, request, client_limits::kMaxSmallReplyBytes);
    if (!reply.ok()) {
      // Nothing is stored before the upload exists, so opening it again is
      // safe; at worst an unused upload expires on the gateway.
      if (reply.error() == Error::kUnavailable && Backoff()) continue;
      return FailTransport(reply.error());
    }
    if (reply.value().status != 201) return FailRefused(reply.value());
    auto status = ParseUploadStatus(reply.value().body);
    if (!status.ok() || status.value().total_length != buffer_.size()) {
      return Fail(Error::kIo, "the gateway's answer to opening the upload is malformed");
    }
    status_ = status.value();
    committed_ = status_.committed_length;
    failures_ = 0;
    Report();
    return OkStatus();
  }
}

Status Uploader::Resync() {
  for (;;) {
    if (!Backoff()) return Fail(Error::kUnavailable, "the upload keeps failing; try again later");
    auto reply = client_.Get(UploadPath(), client_limits::kMaxSmallReplyBytes);
    if (!reply.ok()) {
      if (reply.error() == Error::kUnavailable) continue;
      return FailTransport(reply.error());
    }
    if (reply.value().status != 200) return FailRefused(reply.value());
    auto status = ParseUploadStatus(reply.value().body);
    if (!status.ok()) return Fail(Error::kIo, "the gateway's upload status is malformed");
    return Accept(status.value());
  }
}

Result<SubmissionReceipt> Uploader::Finalize() {
  bool answer_lost = false;
  for (;;) {
    auto reply = client_.Post(UploadPath() + "/finalize", "", {}, client_limits::kMaxSmallReplyBytes);
    if (!reply.ok()) {
      if (reply.error() != Error::kUnavailable || !Backoff()) return FailTransport(reply.error());
      answer_lost = true;
      continue;
    }
    if (reply.value().status == 201) {
      auto receipt = ParseSubmissionReceipt(reply.value().body);
      if (!receipt.ok()) return Fail(Error::kIo, "the gateway's receipt is malformed");
      return receipt.value();
    }
    if (reply.value().status == 404 && answer_lost) {
      // The first finalize may have succeeded and its answer been lost: the
      // upload is then gone because the envelope was stored.
      return Fail(Error::kUnavailable,
                  "the connection broke while the upload was being finalized; the gateway "
                  "has probably stored the submission, but its receipt is lost");
    }
    return FailRefused(reply.value());
  }
}

Result<SubmissionReceipt> Uploader::Run() {
  AMPARO_RETURN_IF_ERROR(Create());
  std::vector<std::uint8_t> chunk;
  for (;;) {
    while (committed_ < buffer_.size()) {
      const std::size_t length = static_cast<std::size_t>(
          std::min<std::uint64_t>(limits::kMaxUploadChunkBytes, buffer_.size() - committed_));
      chunk.resize(length);
      if (!buffer_.ReadAt(committed_, chunk).ok()) {
        return Fail(Error::kIo, "cannot read the sealed envelope back");
      }
      const std::string target = UploadPath() + "?offset=" + std::to_string(committed_);
      auto reply = client_.Put(target, kOctetStream, chunk, client_limits::kMaxSmallReplyBytes);
      if (!reply.ok()) {
        if (reply.error() != Error::kUnavailable) return FailTransport(reply.error());
        AMPARO_RETURN_IF_ERROR(Resync());
        continue;
      }
      if (reply.value().status == 409) {
        // Our offset is not the gateway's: ask for its committed length.
        const Refusal refusal = ClassifyRefusal(409, reply.value().body);
        if (refusal.error != Error::kConflict) return Fail(refusal.error, refusal.description);
        AMPARO_RETURN_IF_ERROR(Resync());
        continue;
      }
      if (reply.value().status != 200) return FailRefused(reply.value());
      auto status = ParseUploadStatus(reply.value().body);
      if (!status.ok()) return Fail(Error::kIo, "the gateway's upload status is malformed");
      if (status.value().committed_length != committed_ + length) {
        return Fail(Error::kIo, "the gateway's upload status contradicts the upload");
      }
      AMPARO_RETURN_IF_ERROR(Accept(status.value()));
      failures_ = 0;
    }
    auto receipt = Finalize();
    if (receipt.ok() || receipt.error() != Error::kConflict) return receipt;
    // Finalizing an incomplete upload: the gateway has less than we thought.
    AMPARO_RETURN_IF_ERROR(Resync());
    if (committed_ >= buffer_.size()) return receipt.error();
  }
}

}  // namespace

Result<SubmissionReceipt> UploadEnvelope(GatewayClient& client, const EnvelopeBuffer& buffer,
                                         const UploadHooks& hooks, std::string_view* failure) {
  if (buffer.size() > limits::kMaxUploadBytes) {
    *failure = "the sealed envelope is larger than any gateway accepts";
    return Error::kLimitExceeded;
  }
  if (buffer.size() > limits::kMaxSubmissionBodyBytes) {
    return Uploader(client, buffer, hooks, failure).Run();
  }
  std::vector<std::uint8_t> envelope(static_cast<std::size_t>(buffer.size()));
  if (!buffer.ReadAt(0, envelope).ok()) {
    *failure = "cannot read the sealed envelope back";
    return Error::kIo;
  }
  auto reply = client.Post("/v1/submissions", kOctetStream, envelope, client_limits::kMaxSmallReplyBytes);
  if (!reply.ok()) {
    *failure = reply.error() == Error::kUnavailable
                   ? "the connection broke before the gateway confirmed; the submission may "
                     "not have been stored, send it again"
                   : client.last_failure();
    return reply.error();
  }
  if (reply.value().status != 201) {
    const Refusal refusal = ClassifyRefusal(reply.value().status, reply.value().body);
    *failure = refusal.description;
    return refusal.error;
  }
  auto receipt = ParseSubmissionReceipt(reply.value().body);
  if (!receipt.ok()) {
    *failure = "the gateway's receipt is malformed";
    return Error::kIo;
  }
  if (hooks.progress) hooks.progress(buffer.size(), buffer.size());
  return receipt.value();
}

}  // namespace amparo::submit
