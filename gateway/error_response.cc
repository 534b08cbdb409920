#include "gateway/error_response.h"

#include <string>

#include "proto/api.pb.h"

namespace amparo::gateway {
namespace {

HttpResponse Make(unsigned status, const char* code, const char* message) {
  amparo::v1::ErrorBody body;
  body.set_code(code);
  body.set_message(message);
  const std::string bytes = body.SerializeAsString();
  return HttpResponse{status, "application/x-protobuf",
                      std::vector<std::uint8_t>(bytes.begin(), bytes.end())};
}

}  // namespace

HttpResponse ResponseFor(Error error) {
  switch (error) {
    case Error::kMalformedEnvelope:
      return Make(400, "malformed_envelope", "The envelope is malformed.");
    case Error::kUnsupportedFormatVersion:
      return Make(400, "unsupported_format_version", "The envelope format is not supported.");
    case Error::kPaddedLengthNotBucket:
      return Make(400, "padded_length_not_bucket", "The envelope is not padded to a bucket.");
    case Error::kLengthMismatch:
      return Make(400, "length_mismatch", "The envelope length does not match its header.");
    case Error::kStaleKeyBundle:
      return Make(409, "stale_key_bundle",
                  "The keys used are no longer accepted: fetch the current keys and seal again.");
    case Error::kConflict:
      return Make(409, "conflict", "The request conflicts with the upload's state.");
    case Error::kNotFound:
      return NotFoundResponse();
    case Error::kLimitExceeded:
      return Make(413, "too_large", "The request is too large.");
    case Error::kRateLimited:
      return Make(429, "rate_limited", "Too many requests for this mailbox: try again later.");
    case Error::kUnavailable:
    case Error::kIo:
      return Make(503, "unavailable", "The service is temporarily unavailable.");
    case Error::kArmor:
    case Error::kHeader:
    case Error::kNoMatch:
    case Error::kHmac:
    case Error::kPayload:
    case Error::kInvalidKey:
    case Error::kInvalidArgument:
    case Error::kBadSignature:
    case Error::kKeyBundleRollback:
    case Error::kMalformedTransfer:
    case Error::kBadPassphrase:
    case Error::kRefused:
      return Make(400, "bad_request", "The request is malformed.");
  }
  return Make(400, "bad_request", "The request is malformed.");
}

HttpResponse NotFoundResponse() { return Make(404, "not_found", "Not found."); }

HttpResponse MethodNotAllowedResponse() {
  return Make(405, "method_not_allowed", "Method not allowed.");
}

}  // namespace amparo::gateway
