#include "submit/api_messages.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/byte_reader.h"
#include "proto/api.pb.h"

namespace amparo::submit {
namespace {

std::vector<std::uint8_t> Bytes(std::initializer_list<int> values) {
  std::vector<std::uint8_t> out;
  for (const int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

std::vector<std::uint8_t> Serialized(const google::protobuf::Message& message) {
  std::string text;
  message.SerializeToString(&text);
  return {text.begin(), text.end()};
}

std::vector<std::uint8_t> Concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ApiMessagesTest, ParsesAReceiptAsProtobufWritesIt) {
  v1::SubmissionReceipt receipt;
  receipt.set_envelope_id(std::string(16, '\x5A'));
  auto parsed = ParseSubmissionReceipt(Serialized(receipt));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(HexEncode(parsed.value().envelope_id), "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
}

TEST(ApiMessagesTest, RefusesReceiptsThatAreNotExactlyOneSixteenByteId) {
  const auto id = Bytes({0x0A, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  ASSERT_TRUE(ParseSubmissionReceipt(id).ok());
  EXPECT_EQ(ParseSubmissionReceipt({}).error(), Error::kIo);                       // no id
  EXPECT_EQ(ParseSubmissionReceipt(Bytes({0x0A, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                          14, 15}))
                .error(),
            Error::kIo);                                                           // 15 bytes
  EXPECT_EQ(ParseSubmissionReceipt(Concat(id, id)).error(), Error::kIo);          // twice
  EXPECT_EQ(ParseSubmissionReceipt(Concat(id, Bytes({0x10, 1}))).error(), Error::kIo);  // unknown
  EXPECT_EQ(ParseSubmissionReceipt(Concat(id, Bytes({0x00}))).error(), Error::kIo);     // trailing
  EXPECT_EQ(ParseSubmissionReceipt(Bytes({0x0A, 17, 1})).error(), Error::kIo);          // truncated
  EXPECT_EQ(ParseSubmissionReceipt(Bytes({0x08, 1})).error(), Error::kIo);  // wrong wire type
  EXPECT_EQ(ParseSubmissionReceipt(Bytes({0x8A, 0x00, 16})).error(), Error::kIo);  // long key
}

TEST(ApiMessagesTest, ParsesAnUploadStatus) {
  v1::UploadStatus status;
  status.set_upload_id(std::string(16, '\x01'));
  status.set_committed_length(65536);
  status.set_total_length(3000000);
  auto parsed = ParseUploadStatus(Serialized(status));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().committed_length, 65536u);
  EXPECT_EQ(parsed.value().total_length, 3000000u);
  EXPECT_EQ(HexEncode(parsed.value().upload_id), "01010101010101010101010101010101");
}

TEST(ApiMessagesTest, RefusesAnUploadStatusThatContradictsItself) {
  v1::UploadStatus status;
  status.set_upload_id(std::string(16, '\x01'));
  status.set_committed_length(11);
  status.set_total_length(10);
  EXPECT_EQ(ParseUploadStatus(Serialized(status)).error(), Error::kIo);
  status.set_total_length(11);
  EXPECT_TRUE(ParseUploadStatus(Serialized(status)).ok());
  status.clear_upload_id();
  EXPECT_EQ(ParseUploadStatus(Serialized(status)).error(), Error::kIo);
}

TEST(ApiMessagesTest, ReadsOnlyTheCodeOfAnErrorBody) {
  v1::ErrorBody body;
  body.set_code("stale_key_bundle");
  body.set_message("Fetch /v1/keys and seal again.");
  auto code = ParseErrorCode(Serialized(body));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code.value(), "stale_key_bundle");
  body.set_code("Stale\x1b[2J");
  EXPECT_EQ(ParseErrorCode(Serialized(body)).error(), Error::kIo);
  body.set_code("conflict");
  body.set_message(std::string(kMaxErrorTextBytes, 'm'));
  EXPECT_TRUE(ParseErrorCode(Serialized(body)).ok());
  body.set_message(std::string(kMaxErrorTextBytes + 1, 'm'));
  EXPECT_EQ(ParseErrorCode(Serialized(body)).error(), Error::kIo);
}

TEST(ApiMessagesTest, EncodesAnUploadRequestAsProtobufReadsIt) {
  const std::vector<std::uint8_t> head(1000, 0x41);
  const auto encoded = EncodeUploadRequest(2000000, head);
  v1::UploadRequest request;
  ASSERT_TRUE(request.ParseFromArray(encoded.data(), static_cast<int>(encoded.size())));
  EXPECT_EQ(request.total_length(), 2000000u);
  EXPECT_EQ(request.head(), std::string(1000, 'A'));
  EXPECT_EQ(Serialized(request), encoded);  // the deterministic encoding
}

TEST(ApiMessagesTest, ClassifiesRefusals) {
  const auto body = [](const std::string& code) {
    v1::ErrorBody message;
    message.set_code(code);
    return Serialized(message);
  };
  EXPECT_EQ(ClassifyRefusal(409, body("stale_key_bundle")).error, Error::kStaleKeyBundle);
  EXPECT_EQ(ClassifyRefusal(409, body("conflict")).error, Error::kConflict);
  EXPECT_EQ(ClassifyRefusal(409, {}).error, Error::kConflict);
  EXPECT_EQ(ClassifyRefusal(404, body("not_found")).error, Error::kNotFound);
  EXPECT_EQ(ClassifyRefusal(413, body("too_large")).error, Error::kLimitExceeded);
  EXPECT_EQ(ClassifyRefusal(431, body("too_large")).error, Error::kLimitExceeded);
  EXPECT_EQ(ClassifyRefusal(503, body("unavailable")).error, Error::kUnavailable);
  EXPECT_EQ(ClassifyRefusal(400, body("malformed_envelope")).error, Error::kMalformedEnvelope);
  EXPECT_EQ(ClassifyRefusal(400, body("length_mismatch")).error, Error::kLengthMismatch);
  EXPECT_EQ(ClassifyRefusal(400, body("padded_length_not_bucket")).error,
            Error::kPaddedLengthNotBucket);
  EXPECT_EQ(ClassifyRefusal(400, body("unsupported_format_version")).error,
            Error::kUnsupportedFormatVersion);
  EXPECT_EQ(ClassifyRefusal(400, body("bad_request")).error, Error::kMalformedEnvelope);
  EXPECT_EQ(ClassifyRefusal(200, {}).error, Error::kMalformedEnvelope);
  EXPECT_FALSE(ClassifyRefusal(418, Bytes({0xFF, 0xFF})).description.empty());
}

}  // namespace
}  // namespace amparo::submit

namespace amparo::submit {
namespace {

// Random edits of valid answers must never crash the readers.
TEST(ApiMessagesTest, SurvivesRandomEdits) {
  v1::UploadStatus status;
  status.set_upload_id(std::string(16, '\x01'));
  status.set_committed_length(65536);
  status.set_total_length(3000000);
  const std::vector<std::uint8_t> seed = Serialized(status);
  std::mt19937 random(99);
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::uint8_t> bytes = seed;
    const std::size_t at = random() % bytes.size();
    if (random() % 2 == 0) {
      bytes[at] = static_cast<std::uint8_t>(random());
    } else {
      bytes.resize(at);
    }
    auto parsed = ParseUploadStatus(bytes);
    if (parsed.ok()) {
      EXPECT_LE(parsed.value().committed_length, parsed.value().total_length);
    }
    (void)ParseSubmissionReceipt(bytes);
    (void)ParseErrorCode(bytes);
    (void)ClassifyRefusal(409, bytes);
  }
}

}  // namespace
}  // namespace amparo::submit
