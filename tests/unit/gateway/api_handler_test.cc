// api_handler_test.cc: the gateway's API over a real RocksDB store in a temp
// folder: valid envelopes are stored exactly and answered 201 only once
// durable; every rejection has its fixed answer and changes nothing stored;
// uploads resume from the committed offset and finalize atomically.

#include "gateway/api_handler.h"

#include <gtest/gtest.h>

#include <future>

#include "common/limits.h"
#include "gateway/error_response.h"
#include "proto/api.pb.h"
#include "protocol/envelope_builder.h"
#include "storage/rocksdb_store.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_key_bundle.h"

namespace amparo::gateway {
namespace {

constexpr Day kToday = 20000;

class FixedClock final : public Clock {
 public:
  Day Today() const override { return kToday; }
};

class ApiHandlerTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::OpenRocksDbStore(dir_.path() / "data", {});
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    bundle_ = test::MakeTestKeyBundle({"CAT", "SPT"}, 3, 2, kToday);
    ASSERT_TRUE(store_->PutKeyBundle(3, bundle_.signed_bytes).ok());
    policy_.accepting = true;
    policy_.envelope.lowest_accepted_bundle_version = 2;
    policy_.max_upload_bytes = limits::kMaxUploadBytes;
    handler_ = std::make_unique<ApiHandler>(*store_, policy_, random_, clock_, files_);
  }

  HttpResponse Call(HttpMethod method, std::string target, std::vector<std::uint8_t> body = {}) {
    std::promise<HttpResponse> promise;
    handler_->Handle(HttpRequest{{method, std::move(target)}, std::move(body)},
                     [&](HttpResponse response) { promise.set_value(std::move(response)); });
    return promise.get_future().get();
  }

  std::vector<std::uint8_t> Envelope(std::uint64_t bundle_version, std::size_t attachment = 0) {
    v1::Submission submission;
    submission.set_key_bundle_version(bundle_version);
    submission.add_bodies("CAT");
    std::vector<std::uint8_t> bytes(attachment, 0x5a);
    SpanSource source(bytes);
    std::vector<protocol::AttachmentStream> streams;
    if (attachment > 0) {
      auto* entry = submission.add_attachments();
      entry->set_file_name("evidence.bin");
      entry->set_media_type("application/octet-stream");
      entry->set_length(attachment);
      entry->set_sha256(std::string(32, '\0'));
      streams.push_back({&source, attachment});
    }
    VectorSink out;
    test::DeterministicRandom random(bundle_version * 7 + attachment);
    const Status status =
        protocol::SealEnvelope({bundle_.verified, kToday, submission, streams}, out, random);
    EXPECT_TRUE(status.ok()) << ErrorName(status.error());
    return out.bytes();
  }

  std::uint64_t StoredEnvelopes() { return store_->Stats().value().envelopes; }

  static std::string CodeOf(const HttpResponse& response) {
    v1::ErrorBody body;
    EXPECT_TRUE(body.ParseFromArray(response.body.data(), static_cast<int>(response.body.size())));
    return body.code();
  }

  test::TempDir dir_;
  std::unique_ptr<storage::EnvelopeStore> store_;
  test::TestKeyBundle bundle_;
  ApiPolicy policy_;
  test::DeterministicRandom random_{42};
  FixedClock clock_;
  StaticFiles files_;
  std::unique_ptr<ApiHandler> handler_;
};

TEST_F(ApiHandlerTest, HealthSaysOkAndNothingElse) {
  const auto response = Call(HttpMethod::kGet, "/v1/health");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(std::string(response.body.begin(), response.body.end()), "ok\n");
}

TEST_F(ApiHandlerTest, KeysServesTheInstalledBundleByteForByte) {
  const auto response = Call(HttpMethod::kGet, "/v1/keys");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, bundle_.signed_bytes);
}

TEST_F(ApiHandlerTest, ValidSubmissionIsStoredExactlyAndAnswered201WithItsId) {
  const auto envelope = Envelope(3);
  const auto response = Call(HttpMethod::kPost, "/v1/submissions", envelope);
  ASSERT_EQ(response.status, 201u);
  v1::SubmissionReceipt receipt;
  ASSERT_TRUE(receipt.ParseFromArray(response.body.data(), static_cast<int>(response.body.size())));
  auto id = storage::EnvelopeId::FromBytes(
      std::span(reinterpret_cast<const std::uint8_t*>(receipt.envelope_id().data()),
                receipt.envelope_id().size()));
  ASSERT_TRUE(id.ok());
  VectorSink stored;
  ASSERT_TRUE(store_->ReadEnvelope(id.value(), stored).ok());
  EXPECT_EQ(stored.bytes(), envelope);
  EXPECT_EQ(store_->DescribeEnvelope(id.value()).value().day, kToday);
}

TEST_F(ApiHandlerTest, EnvelopeSealedAgainstAnOlderBundleAsksToRefreshAndStoresNothing) {
  const auto stale = test::MakeTestKeyBundle({"CAT"}, 1, 1, kToday, 9);
  v1::Submission submission;
  submission.set_key_bundle_version(1);
  submission.add_bodies("CAT");
  VectorSink out;
  test::DeterministicRandom random(5);
  ASSERT_TRUE(protocol::SealEnvelope({stale.verified, kToday, submission, {}}, out, random).ok());
  const auto response = Call(HttpMethod::kPost, "/v1/submissions", out.bytes());
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(CodeOf(response), "stale_key_bundle");
  EXPECT_EQ(StoredEnvelopes(), 0u);
}

TEST_F(ApiHandlerTest, MalformedEnvelopesGetOneFixedAnswerAndStoreNothing) {
  auto envelope = Envelope(3);
  envelope[0] = 'X';  // wrong magic
  const auto first = Call(HttpMethod::kPost, "/v1/submissions", envelope);
  const auto second = Call(HttpMethod::kPost, "/v1/submissions", std::vector<std::uint8_t>(9, 1));
  EXPECT_EQ(first.status, 400u);
  EXPECT_EQ(CodeOf(first), "malformed_envelope");
  EXPECT_EQ(first.body, second.body);
  auto truncated = Envelope(3);
  truncated.pop_back();
  EXPECT_EQ(CodeOf(Call(HttpMethod::kPost, "/v1/submissions", truncated)), "length_mismatch");
  EXPECT_EQ(StoredEnvelopes(), 0u);
}

TEST_F(ApiHandlerTest, RefusesSubmissionsUntilAKeyBundleIsInstalled) {
  ApiPolicy closed = policy_;
  closed.accepting = false;
  ApiHandler handler(*store_, closed, random_, clock_, files_);
  std::promise<HttpResponse> promise;
  handler.Handle(HttpRequest{{HttpMethod::kPost, "/v1/submissions"}, Envelope(3)},
                 [&](HttpResponse r) { promise.set_value(std::move(r)); });
  EXPECT_EQ(promise.get_future().get().status, 503u);
  EXPECT_EQ(StoredEnvelopes(), 0u);
}

TEST_F(ApiHandlerTest, UploadResumesFromTheCommittedOffsetAndFinalizesAtomically) {
  const auto envelope = Envelope(3, 3 * 1024 * 1024);
  ASSERT_GT(envelope.size(), limits::kMaxSubmissionBodyBytes);
  v1::UploadRequest create;
  create.set_total_length(envelope.size());
  const std::size_t head = 4096;
  create.set_head(std::string(envelope.begin(), envelope.begin() + head));
  const std::string create_bytes = create.SerializeAsString();
  auto created = Call(HttpMethod::kPost, "/v1/uploads",
                      std::vector<std::uint8_t>(create_bytes.begin(), create_bytes.end()));
  ASSERT_EQ(created.status, 201u);
  v1::UploadStatus status;
  ASSERT_TRUE(status.ParseFromArray(created.body.data(), static_cast<int>(created.body.size())));
  EXPECT_EQ(status.committed_length(), head);
  const std::string id = storage::HexEncode(
      std::span(reinterpret_cast<const std::uint8_t*>(status.upload_id().data()), 16));
  const std::string base = "/v1/uploads/" + id;

  // Finalizing an incomplete upload is refused.
  EXPECT_EQ(CodeOf(Call(HttpMethod::kPost, base + "/finalize")), "conflict");

  std::size_t offset = head;
  bool replayed_wrong_offset = false;
  while (offset < envelope.size()) {
    const std::size_t n = std::min(limits::kMaxUploadChunkBytes, envelope.size() - offset);
    std::vector<std::uint8_t> chunk(envelope.begin() + static_cast<std::ptrdiff_t>(offset),
                                    envelope.begin() + static_cast<std::ptrdiff_t>(offset + n));
    if (!replayed_wrong_offset && offset > head) {
      // A chunk sent twice (a retry after a lost answer) is refused; nothing changes.
      const auto again = Call(HttpMethod::kPut, base + "?offset=" + std::to_string(head), chunk);
      EXPECT_EQ(again.status, 409u);
      replayed_wrong_offset = true;
    }
    const auto put = Call(HttpMethod::kPut, base + "?offset=" + std::to_string(offset), chunk);
    ASSERT_EQ(put.status, 200u);
    offset += n;
    const auto described = Call(HttpMethod::kGet, base);
    ASSERT_TRUE(status.ParseFromArray(described.body.data(), static_cast<int>(described.body.size())));
    EXPECT_EQ(status.committed_length(), offset);
  }
  EXPECT_TRUE(replayed_wrong_offset);
  EXPECT_EQ(StoredEnvelopes(), 0u);
  const auto finalized = Call(HttpMethod::kPost, base + "/finalize");
  ASSERT_EQ(finalized.status, 201u);
  v1::SubmissionReceipt receipt;
  ASSERT_TRUE(receipt.ParseFromArray(finalized.body.data(), static_cast<int>(finalized.body.size())));
  auto envelope_id = storage::EnvelopeId::FromBytes(
      std::span(reinterpret_cast<const std::uint8_t*>(receipt.envelope_id().data()), 16));
  VectorSink stored;
  ASSERT_TRUE(store_->ReadEnvelope(envelope_id.value(), stored).ok());
  EXPECT_EQ(stored.bytes(), envelope);
}

TEST_F(ApiHandlerTest, UploadWithAnInvalidHeadOrLengthIsRefusedBeforeItExists) {
  const auto envelope = Envelope(3, 2 * 1024 * 1024);
  v1::UploadRequest create;
  create.set_total_length(envelope.size() + 1);
  create.set_head(std::string(envelope.begin(), envelope.begin() + 4096));
  std::string bytes = create.SerializeAsString();
  auto response = Call(HttpMethod::kPost, "/v1/uploads", {bytes.begin(), bytes.end()});
  EXPECT_EQ(CodeOf(response), "length_mismatch");
  create.set_total_length(limits::kMaxUploadBytes + 1);
  bytes = create.SerializeAsString();
  EXPECT_EQ(Call(HttpMethod::kPost, "/v1/uploads", {bytes.begin(), bytes.end()}).status, 413u);
  bytes += std::string("\xf8\x01\x01", 3);  // an unknown field
  EXPECT_EQ(CodeOf(Call(HttpMethod::kPost, "/v1/uploads", {bytes.begin(), bytes.end()})),
            "bad_request");
  EXPECT_EQ(store_->Stats().value().open_uploads, 0u);
}

TEST_F(ApiHandlerTest, BodyLimitsFollowTheRoutes) {
  EXPECT_EQ(handler_->BodyLimit({HttpMethod::kPost, "/v1/submissions"}),
            limits::kMaxSubmissionBodyBytes);
  EXPECT_EQ(handler_->BodyLimit({HttpMethod::kPut, "/v1/uploads/00?offset=1"}),
            limits::kMaxUploadChunkBytes);
  EXPECT_EQ(handler_->BodyLimit({HttpMethod::kGet, "/v1/keys"}), 0u);
  EXPECT_EQ(handler_->BodyLimit({HttpMethod::kPost, "/v1/health"}), 0u);
}

TEST_F(ApiHandlerTest, UnknownRoutesAndWrongMethodsAreRefused) {
  EXPECT_EQ(Call(HttpMethod::kGet, "/v1/nothing").status, 404u);
  EXPECT_EQ(Call(HttpMethod::kGet, "/v1/uploads/zz").status, 404u);
  EXPECT_EQ(Call(HttpMethod::kGet, "/v1/submissions").status, 405u);
  EXPECT_EQ(Call(HttpMethod::kPost, "/v1/keys").status, 405u);
  EXPECT_EQ(Call(HttpMethod::kPut, "/v1/uploads/" + std::string(32, 'a') + "?offset=01",
                 {1}).status, 400u);
}

}  // namespace
}  // namespace amparo::gateway
