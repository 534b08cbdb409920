#pragma once
// api_handler.h: the gateway's HTTP API (docs/API.md) over the envelope
// store. Independent of the server library.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "common/clock.h"
#include "gateway/mailbox_service.h"
#include "crypto/random.h"
#include "gateway/request_handler.h"
#include "gateway/static_files.h"
#include "protocol/envelope_validator.h"
#include "storage/envelope_store.h"

namespace amparo::gateway {

// ApiPolicy is what the installed key bundle and the configuration decide.
struct ApiPolicy {
  bool accepting = false;  // false until a key bundle is installed
  protocol::AcceptancePolicy envelope;
  std::uint64_t max_upload_bytes = 0;
};

// ApiHandler routes requests, validates envelopes before anything is stored,
// and answers 201 only once the store reports the write durable. It records
// nothing about the connection. store, random, clock and files are borrowed
// and must outlive it.
class ApiHandler final : public RequestHandler {
 public:
  ApiHandler(storage::EnvelopeStore& store, ApiPolicy policy, crypto::RandomSource& random,
             const Clock& clock, const StaticFiles& files);

  std::size_t BodyLimit(const RequestHead& head) const override;
  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override;
  HttpResponse ErrorResponse(Error error) const override;

  // SetPolicy replaces what the handler accepts, for requests that start
  // after it returns: a newly installed key bundle (a raised lowest version)
  // applies without a restart. Safe from any thread.
  void SetPolicy(const ApiPolicy& policy);

  // SetMailboxService enables the follow-up mailboxes (borrowed; must
  // outlive the handler); until it is called they answer 503. Call before
  // serving.
  void SetMailboxService(MailboxService* mailboxes);

 private:
  ApiPolicy Policy() const;

  void Submit(std::vector<std::uint8_t> body, std::function<void(HttpResponse)> respond);
  void CreateUpload(const std::vector<std::uint8_t>& body,
                    std::function<void(HttpResponse)> respond);
  void AppendUpload(const storage::UploadId& upload, std::string_view query,
                    std::vector<std::uint8_t> body, std::function<void(HttpResponse)> respond);
  void FinalizeUpload(const storage::UploadId& upload, std::function<void(HttpResponse)> respond);
  HttpResponse DescribeUpload(const storage::UploadId& upload);
  HttpResponse Keys();

  storage::EnvelopeStore& store_;
  mutable std::mutex policy_mutex_;
  ApiPolicy policy_;  // guarded by policy_mutex_
  crypto::RandomSource& random_;
  const Clock& clock_;
  const StaticFiles& files_;
  MailboxService* mailboxes_ = nullptr;
};

}  // namespace amparo::gateway
