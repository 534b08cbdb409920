#include "gateway/api_handler.h"

#include <charconv>
#include <string>

#include "common/limits.h"
#include "gateway/error_response.h"
#include "proto/api.pb.h"

namespace amparo::gateway {
namespace {

constexpr std::string_view kHealthPath = "/v1/health";
constexpr std::string_view kKeysPath = "/v1/keys";
constexpr std::string_view kSubmissionsPath = "/v1/submissions";
constexpr std::string_view kUploadsPath = "/v1/uploads";
constexpr std::string_view kUploadPrefix = "/v1/uploads/";
constexpr std::string_view kFinalizeSuffix = "/finalize";
constexpr std::string_view kMailboxListPath = "/v1/mailbox/list";
constexpr std::string_view kMailboxFetchPath = "/v1/mailbox/fetch";
constexpr std::size_t kIdHexLength = 2 * storage::kIdBytes;
// An UploadRequest is a length and a head: the head's limit plus framing.
constexpr std::size_t kMaxUploadRequestBytes = limits::kMaxUploadChunkBytes + 64;

std::vector<std::uint8_t> Bytes(const std::string& text) {
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

HttpResponse Protobuf(unsigned status, const google::protobuf::Message& message) {
  return HttpResponse{status, "application/x-protobuf", Bytes(message.SerializeAsString())};
}

HttpResponse Receipt(const storage::EnvelopeId& id) {
  amparo::v1::SubmissionReceipt receipt;
  receipt.set_envelope_id(id.bytes().data(), id.bytes().size());
  return Protobuf(201, receipt);
}

HttpResponse UploadStatusResponse(unsigned status, const storage::UploadId& upload,
                                  std::uint64_t committed,
                    std::uint64_t total) {
  amparo::v1::UploadStatus message;
  message.set_upload_id(upload.bytes().data(), upload.bytes().size());
  message.set_committed_length(committed);
  message.set_total_length(total);
  return Protobuf(status, message);
}

// Route is a parsed request target.
struct Route {
  std::string_view path;
  std::string_view query;
};

Route Split(std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// UploadTarget recognises /v1/uploads/{id} and /v1/uploads/{id}/finalize.
struct UploadTarget {
  storage::UploadId id;
  bool finalize = false;
};

std::optional<UploadTarget> ParseUploadTarget(std::string_view path) {
  if (!path.starts_with(kUploadPrefix)) return std::nullopt;
  path.remove_prefix(kUploadPrefix.size());
  UploadTarget target;
  if (path.size() == kIdHexLength + kFinalizeSuffix.size() && path.ends_with(kFinalizeSuffix)) {
    target.finalize = true;
    path.remove_suffix(kFinalizeSuffix.size());
  }
  if (path.size() != kIdHexLength) return std::nullopt;
  auto id = storage::UploadId::FromHex(path);
  if (!id.ok() || id.value().IsZero()) return std::nullopt;
  target.id = id.value();
  return target;
}

// ParseOffset accepts exactly "offset=<decimal>" with no leading zeros.
std::optional<std::uint64_t> ParseOffset(std::string_view query) {
  constexpr std::string_view kKey = "offset=";
  if (!query.starts_with(kKey)) return std::nullopt;
  query.remove_prefix(kKey.size());
  if (query.empty() || (query.size() > 1 && query[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(query.data(), query.data() + query.size(), value);
  if (ec != std::errc() || end != query.data() + query.size()) return std::nullopt;
  return value;
}

// NewId draws a random id; the all-zero id means "unset" to the store, so it
// is drawn again (with probability 2^-128).
template <typename Id>
Id NewId(crypto::RandomSource& random) {
  typename Id::Bytes bytes{};
  do {
    random.Fill(bytes);
  } while (Id(bytes).IsZero());
  return Id(bytes);
}

// ParseStrict parses a protobuf message and refuses unknown fields, which
// the lenient parser would otherwise keep silently.
bool ParseStrict(const std::vector<std::uint8_t>& bytes, google::protobuf::Message* message) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  return message->GetReflection()->GetUnknownFields(*message).empty();
}

}  // namespace

ApiHandler::ApiHandler(storage::EnvelopeStore& store, ApiPolicy policy,
                       crypto::RandomSource& random, const Clock& clock, const StaticFiles& files)
    : store_(store), policy_(policy), random_(random), clock_(clock), files_(files) {}

HttpResponse ApiHandler::ErrorResponse(Error error) const { return ResponseFor(error); }

void ApiHandler::SetPolicy(const ApiPolicy& policy) {
  std::lock_guard lock(policy_mutex_);
  policy_ = policy;
}

ApiPolicy ApiHandler::Policy() const {
  std::lock_guard lock(policy_mutex_);
  return policy_;
}

std::size_t ApiHandler::BodyLimit(const RequestHead& head) const {
  const Route route = Split(head.target);
  if (head.method == HttpMethod::kPost && route.path == kSubmissionsPath) {
    return limits::kMaxSubmissionBodyBytes;
  }
  if (head.method == HttpMethod::kPost && route.path == kUploadsPath) {
    return kMaxUploadRequestBytes;
  }
  if (head.method == HttpMethod::kPut && route.path.starts_with(kUploadPrefix)) {
    return limits::kMaxUploadChunkBytes;
  }
  if (head.method == HttpMethod::kPost &&
      (route.path == kMailboxListPath || route.path == kMailboxFetchPath)) {
    return limits::kMaxMailboxRequestBytes;
  }
  return 0;
}

void ApiHandler::SetMailboxService(MailboxService* mailboxes) { mailboxes_ = mailboxes; }



void ApiHandler::Handle(HttpRequest request, std::function<void(HttpResponse)> respond) {
  const Route route = Split(request.head.target);
  const HttpMethod method = request.head.method;
  const bool get = method == HttpMethod::kGet || method == HttpMethod::kHead;

  if (route.path == kHealthPath) {
    return respond(get ? HttpResponse{200, "text/plain; charset=utf-8", Bytes("ok\n")}
                       : MethodNotAllowedResponse());
  }
  if (route.path == kKeysPath) return respond(get ? Keys() : MethodNotAllowedResponse());
  if (route.path == kMailboxListPath || route.path == kMailboxFetchPath) {
    if (method != HttpMethod::kPost) return respond(MethodNotAllowedResponse());
    // Without a mailbox secret (a node set up before follow-up), no mailbox.
    if (mailboxes_ == nullptr) return respond(ResponseFor(Error::kUnavailable));
    return respond(route.path == kMailboxListPath ? mailboxes_->List(request.body)
                                                  : mailboxes_->Fetch(request.body));
  }
  if (route.path == kSubmissionsPath) {
    if (method != HttpMethod::kPost) return respond(MethodNotAllowedResponse());
    return Submit(std::move(request.body), std::move(respond));
  }
  if (route.path == kUploadsPath) {
    if (method != HttpMethod::kPost) return respond(MethodNotAllowedResponse());
    return CreateUpload(request.body, std::move(respond));
  }
  if (route.path.starts_with(kUploadPrefix)) {
    const auto target = ParseUploadTarget(route.path);
    if (!target) return respond(NotFoundResponse());
    if (target->finalize) {
      if (method != HttpMethod::kPost) return respond(MethodNotAllowedResponse());
      return FinalizeUpload(target->id, std::move(respond));
    }
    if (method == HttpMethod::kPut) {
      return AppendUpload(target->id, route.query, std::move(request.body), std::move(respond));
    }
    return respond(get ? DescribeUpload(target->id) : MethodNotAllowedResponse());
  }
  if (!get) return respond(MethodNotAllowedResponse());
  auto file = files_.Find(route.path);
  respond(file ? std::move(*file) : NotFoundResponse());
}

HttpResponse ApiHandler::Keys() {
  auto bundle = store_.CurrentKeyBundle();
  if (!bundle.ok()) return ResponseFor(bundle.error());
  if (!bundle.value()) return ResponseFor(Error::kUnavailable);
  return HttpResponse{200, "application/x-protobuf", std::move(bundle.value()->signed_bytes)};
}

void ApiHandler::Submit(std::vector<std::uint8_t> body,
                        std::function<void(HttpResponse)> respond) {
  const ApiPolicy policy = Policy();
  if (!policy.accepting) return respond(ResponseFor(Error::kUnavailable));
  // Validation before anything is stored: a rejected envelope changes nothing.
  auto head = protocol::ValidateEnvelope(body, policy.envelope);
  if (!head.ok()) return respond(ResponseFor(head.error()));
  const auto id = NewId<storage::EnvelopeId>(random_);
  store_.PutEnvelopeAsync(id, std::move(body), clock_.Today(),
                          [id, respond = std::move(respond)](amparo::Status status) {
                            respond(status.ok() ? Receipt(id) : ResponseFor(status.error()));
                          });
}

void ApiHandler::CreateUpload(const std::vector<std::uint8_t>& body,
                              std::function<void(HttpResponse)> respond) {
  const ApiPolicy policy = Policy();
  if (!policy.accepting) return respond(ResponseFor(Error::kUnavailable));
  amparo::v1::UploadRequest request;
  if (!ParseStrict(body, &request)) return respond(ResponseFor(Error::kInvalidArgument));
  const std::uint64_t total = request.total_length();
  if (total > policy.max_upload_bytes) return respond(ResponseFor(Error::kLimitExceeded));
  const auto* head_bytes = reinterpret_cast<const std::uint8_t*>(request.head().data());
  const std::span<const std::uint8_t> head(head_bytes, request.head().size());
  auto validated = protocol::ValidateEnvelopeHead(head, policy.envelope, total);
  if (!validated.ok()) return respond(ResponseFor(validated.error()));
  if (head.size() > total) return respond(ResponseFor(Error::kLengthMismatch));

  const auto upload = NewId<storage::UploadId>(random_);
  const amparo::Status status = store_.CreateUpload(upload, total, head, clock_.Today());
  if (!status.ok()) return respond(ResponseFor(status.error()));
  respond(UploadStatusResponse(201, upload, head.size(), total));
}

void ApiHandler::AppendUpload(const storage::UploadId& upload, std::string_view query,
                              std::vector<std::uint8_t> body,
                              std::function<void(HttpResponse)> respond) {
  const auto offset = ParseOffset(query);
  if (!offset || body.empty()) return respond(ResponseFor(Error::kInvalidArgument));
  const std::uint64_t end = *offset + body.size();
  store_.AppendUploadAsync(
      upload, *offset, std::move(body),
      [this, upload, end, respond = std::move(respond)](amparo::Status status) {
        if (!status.ok()) return respond(ResponseFor(status.error()));
        auto info = store_.DescribeUpload(upload);
        respond(info.ok() ? UploadStatusResponse(200, upload, end, info.value().total)
                          : ResponseFor(info.error()));
      });
}

HttpResponse ApiHandler::DescribeUpload(const storage::UploadId& upload) {
  auto info = store_.DescribeUpload(upload);
  if (!info.ok()) return ResponseFor(info.error());
  return UploadStatusResponse(200, upload, info.value().committed, info.value().total);
}

void ApiHandler::FinalizeUpload(const storage::UploadId& upload,
                                std::function<void(HttpResponse)> respond) {
  const auto id = NewId<storage::EnvelopeId>(random_);
  store_.FinalizeUploadAsync(upload, id, clock_.Today(),
                             [id, respond = std::move(respond)](amparo::Status status) {
                               respond(status.ok() ? Receipt(id) : ResponseFor(status.error()));
                             });
}

}  // namespace amparo::gateway
