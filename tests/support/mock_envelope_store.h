#pragma once
// mock_envelope_store.h: a GoogleMock double of the storage seam, for tests
// of the layers above it (answers to a full disk, a busy store, a conflict)
// without a database.

#include <gmock/gmock.h>

#include "storage/envelope_store.h"

namespace amparo::test {

class MockEnvelopeStore : public storage::EnvelopeStore {
 public:
  MOCK_METHOD(Status, PutEnvelope,
              (const storage::EnvelopeId&, std::span<const std::uint8_t>, storage::Day),
              (override));
  MOCK_METHOD(void, PutEnvelopeAsync,
              (const storage::EnvelopeId&, std::vector<std::uint8_t>, storage::Day,
               storage::Completion),
              (override));
  MOCK_METHOD(Status, CreateUpload,
              (const storage::UploadId&, std::uint64_t, std::span<const std::uint8_t>,
               storage::Day),
              (override));
  MOCK_METHOD(Status, AppendUpload,
              (const storage::UploadId&, std::uint64_t, std::span<const std::uint8_t>),
              (override));
  MOCK_METHOD(void, AppendUploadAsync,
              (const storage::UploadId&, std::uint64_t, std::vector<std::uint8_t>,
               storage::Completion),
              (override));
  MOCK_METHOD(Result<storage::UploadInfo>, DescribeUpload, (const storage::UploadId&),
              (override));
  MOCK_METHOD(Status, FinalizeUpload,
              (const storage::UploadId&, const storage::EnvelopeId&, storage::Day), (override));
  MOCK_METHOD(void, FinalizeUploadAsync,
              (const storage::UploadId&, const storage::EnvelopeId&, storage::Day,
               storage::Completion),
              (override));
  MOCK_METHOD(Result<std::size_t>, ExpireUploads, (storage::Day, std::int64_t), (override));
  MOCK_METHOD(Status, ReadEnvelope, (const storage::EnvelopeId&, ByteSink&), (override));
  MOCK_METHOD(Result<storage::EnvelopeInfo>, DescribeEnvelope, (const storage::EnvelopeId&),
              (override));
  MOCK_METHOD(Result<std::vector<storage::QueuedEnvelope>>, ListEnvelopes,
              (std::uint64_t, std::size_t), (override));
  MOCK_METHOD(Result<std::size_t>, DeleteEnvelopes, (std::span<const storage::EnvelopeId>),
              (override));
  MOCK_METHOD(Status, CompactAll, (), (override));
  MOCK_METHOD(Status, WriteCheckpoint, (), (override));
  MOCK_METHOD(Result<std::uint64_t>, TakeExportNumber, (), (override));
  MOCK_METHOD(Result<std::uint64_t>, ContinueExportsAfter, (storage::Day, std::uint64_t), (override));
  MOCK_METHOD(Status, PutKeyBundle, (std::uint64_t, std::span<const std::uint8_t>), (override));
  MOCK_METHOD(Result<std::optional<storage::KeyBundleRecord>>, CurrentKeyBundle, (), (override));
  MOCK_METHOD(Result<std::uint64_t>, AppendAudit, (storage::Day, std::string_view), (override));
  MOCK_METHOD(Result<storage::AuditVerdict>, VerifyAuditChain, (), (override));
  MOCK_METHOD(Result<std::size_t>, PlaceReplies,
              (std::uint64_t, std::span<const storage::StoredReply>, storage::Day), (override));
  MOCK_METHOD(Result<std::vector<storage::ReplyInfo>>, ListReplies, (const storage::MailboxKey&),
              (override));
  MOCK_METHOD(Result<std::vector<std::uint8_t>>, ReadReply,
              (const storage::MailboxKey&, const storage::ReplyId&), (override));
  MOCK_METHOD(Result<std::size_t>, ExpireReplies, (storage::Day, std::int64_t), (override));
  MOCK_METHOD(Result<storage::StoreStats>, Stats, (), (override));
};

}  // namespace amparo::test
