#pragma once
// fake_gateway.h: an in-process gateway speaking the API of docs/API.md over
// plain HTTP on a loopback port, with a signed key bundle it serves, the
// envelopes it stores, and faults it can inject. Just enough to test
// amparo-submit's commands end to end without TLS.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/identities.h"
#include "crypto/signing_key.h"
#include "proto/api.pb.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"
#include "submit/api_messages.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/loopback_server.h"

namespace amparo::submit::test {

// kToday is the day the fixtures are valid on.
inline constexpr std::int64_t kToday = 20000;

// BodyIdentity is the secret key of the i-th test body.
inline crypto::age::X25519Identity BodyIdentity(std::size_t i) {
  amparo::test::DeterministicRandom random(7000 + i);
  return crypto::age::X25519Identity::Generate(random);
}

// TestRoot is the root signing key of the fixtures.
inline const crypto::SigningKey& TestRoot() {
  static const crypto::SigningKey root = [] {
    amparo::test::DeterministicRandom random(99);
    return crypto::SigningKey::Generate(random);
  }();
  return root;
}

// RootFingerprint is the SHA-256 of TestRoot's public key.
inline std::array<std::uint8_t, 32> RootFingerprint() {
  return crypto::Sha256(TestRoot().public_key().bytes);
}

inline const std::vector<std::string>& TestBodies() {
  static const std::vector<std::string> bodies = {"CAT", "SPT", "CEDAW"};
  return bodies;
}

// SignedBundle returns a SignedKeyBundle of `version` with one key per test
// body, signed by `root`.
inline std::vector<std::uint8_t> SignedBundle(std::uint64_t version,
                                              const crypto::SigningKey& root = TestRoot(),
                                              std::uint64_t lowest_accepted = 1) {
  protocol::KeyBundleContent content;
  content.version = version;
  content.issued_day = kToday - 1;
  content.expires_day = kToday + 30;
  content.lowest_accepted_version = lowest_accepted;
  for (std::size_t i = 0; i < TestBodies().size(); ++i) {
    protocol::RecipientKeyEntry key;
    key.key_id = TestBodies()[i] + "-" + std::to_string(version);
    key.body = TestBodies()[i];
    key.label = "Committee " + TestBodies()[i];
    key.public_key = BodyIdentity(i).PublicKey();
    key.valid_from_day = kToday - 10;
    key.valid_until_day = kToday + 300;
    content.keys.push_back(key);
  }
  const std::vector<std::uint8_t> bytes = protocol::EncodeKeyBundle(content);
  const auto signature = root.Sign(protocol::kKeyBundleSignatureContext, bytes);
  return protocol::EncodeSignedKeyBundle(bytes, signature, root.public_key(), {});
}

// Fault is what the gateway does to one PUT request.
enum class Fault {
  kNone,
  kCloseBeforeStoring,
  kCloseAfterStoring,
  kTruncatedAnswer,  // stores, sends half its answer, closes
  kWrongOffsetConflict,
};

// FakeGateway serves the API until destroyed. All members are guarded by
// mutex; tests set them before the client runs and read them after.
class FakeGateway {
 public:
  FakeGateway() : server_([this](int fd) { return Serve(fd); }) {}

  std::uint16_t port() const { return server_.port(); }

  std::mutex mutex;
  std::vector<std::uint8_t> bundle = SignedBundle(5);
  // next_bundle replaces bundle once an envelope was refused as stale.
  std::optional<std::vector<std::uint8_t>> next_bundle;
  // Envelopes sealed to a bundle below this version get 409 stale_key_bundle.
  std::uint64_t lowest_accepted_version = 1;
  std::map<int, Fault> put_faults;  // by PUT number, from 1
  std::vector<std::vector<std::uint8_t>> stored;
  int puts = 0;
  int uploads_opened = 0;
  int stale_answers = 0;
  std::size_t largest_put = 0;

 private:
  struct Upload {
    std::uint64_t total = 0;
    std::vector<std::uint8_t> bytes;
  };

  static std::string Reply(int status, const google::protobuf::Message& message) {
    std::string body;
    message.SerializeToString(&body);
    return amparo::test::HttpResponseText(status, "X", body);
  }
  static std::string ErrorReply(int status, const std::string& code) {
    v1::ErrorBody body;
    body.set_code(code);
    body.set_message("fixed text");
    return Reply(status, body);
  }
  static std::string Id(std::uint8_t fill) { return std::string(16, static_cast<char>(fill)); }

  std::string StatusReply(int status, const std::string& id, const Upload& upload) {
    v1::UploadStatus message;
    message.set_upload_id(id);
    message.set_committed_length(upload.bytes.size());
    message.set_total_length(upload.total);
    return Reply(status, message);
  }

  // Stale reports whether an envelope (or its head) was sealed to a bundle
  // the gateway no longer accepts, and swaps in the next bundle if so.
  bool Stale(std::span<const std::uint8_t> envelope) {
    if (envelope.size() < 6) return false;
    const std::size_t length = (std::size_t{envelope[4]} << 8) | envelope[5];
    if (envelope.size() < 6 + length) return false;
    auto header = protocol::ParseEnvelopeHeader(envelope.subspan(6, length));
    if (!header.ok() || header.value().key_bundle_version >= lowest_accepted_version) return false;
    ++stale_answers;
    if (next_bundle) bundle = *next_bundle;
    return true;
  }

  std::string Receipt(std::vector<std::uint8_t> envelope) {
    stored.push_back(std::move(envelope));
    v1::SubmissionReceipt receipt;
    receipt.set_envelope_id(Id(static_cast<std::uint8_t>(0xA0 + stored.size())));
    return Reply(201, receipt);
  }

  bool Serve(int fd) {
    for (;;) {
      auto request = amparo::test::ReceiveHttpRequest(fd);
      if (!request) return true;
      const std::string line = request->head.substr(0, request->head.find("\r\n"));
      const std::string method = line.substr(0, line.find(' '));
      const std::string target = line.substr(method.size() + 1, line.rfind(' ') - method.size() - 1);
      const auto body = AsBytes(request->body);
      std::string reply;
      {
        std::lock_guard lock(mutex);
        const std::string upload_prefix = "/v1/uploads/" + HexEncode(AsBytes(Id(0x11)));
        if (method == "GET" && target == "/v1/keys") {
          reply = amparo::test::HttpResponseText(
              200, "OK", std::string(bundle.begin(), bundle.end()));
        } else if (method == "POST" && target == "/v1/submissions") {
          reply = Stale(body) ? ErrorReply(409, "stale_key_bundle")
                              : Receipt({body.begin(), body.end()});
        } else if (method == "POST" && target == "/v1/uploads") {
          v1::UploadRequest open;
          if (!open.ParseFromString(request->body)) {
            reply = ErrorReply(400, "bad_request");
          } else if (Stale(AsBytes(open.head()))) {
            reply = ErrorReply(409, "stale_key_bundle");
          } else {
            ++uploads_opened;
            upload_ = Upload{open.total_length(), {open.head().begin(), open.head().end()}};
            reply = StatusReply(201, Id(0x11), upload_);
          }
        } else if (method == "GET" && target == upload_prefix) {
          reply = StatusReply(200, Id(0x11), upload_);
        } else if (method == "PUT" && target.rfind(upload_prefix + "?offset=", 0) == 0) {
          const std::uint64_t offset = std::stoull(target.substr(target.find('=') + 1));
          const Fault fault = put_faults.count(++puts) ? put_faults[puts] : Fault::kNone;
          largest_put = std::max(largest_put, body.size());
          if (fault == Fault::kCloseBeforeStoring) return true;
          if (offset != upload_.bytes.size() || fault == Fault::kWrongOffsetConflict) {
            reply = ErrorReply(409, "conflict");
          } else if (upload_.bytes.size() + body.size() > upload_.total) {
            reply = ErrorReply(413, "too_large");
          } else {
            upload_.bytes.insert(upload_.bytes.end(), body.begin(), body.end());
            if (fault == Fault::kCloseAfterStoring) return true;
            reply = StatusReply(200, Id(0x11), upload_);
            if (fault == Fault::kTruncatedAnswer) {
              amparo::test::SendAll(fd, reply.substr(0, reply.size() / 2));
              return true;
            }
          }
        } else if (method == "POST" && target == upload_prefix + "/finalize") {
          reply = upload_.bytes.size() == upload_.total ? Receipt(upload_.bytes)
                                                        : ErrorReply(409, "conflict");
        } else {
          reply = ErrorReply(404, "not_found");
        }
      }
      if (!amparo::test::SendAll(fd, reply)) return true;
    }
  }

  Upload upload_;
  amparo::test::LoopbackServer server_;
};

}  // namespace amparo::submit::test
