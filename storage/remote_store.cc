#include "storage/remote_store.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "common/byte_reader.h"
#include "storage/control_protocol.h"

namespace amparo::storage {
namespace {

using v1::ControlRequest;
using v1::ControlResponse;

class RemoteStore final : public EnvelopeStore {
 public:
  explicit RemoteStore(int fd) : fd_(fd) {}
  ~RemoteStore() override { ::close(fd_); }

  // Intake belongs to the server.
  Status PutEnvelope(const EnvelopeId&, std::span<const std::uint8_t>, Day) override {
    return Error::kUnavailable;
  }
  void PutEnvelopeAsync(const EnvelopeId&, std::vector<std::uint8_t>, Day,
                        Completion done) override {
    done(Error::kUnavailable);
  }
  Status CreateUpload(const UploadId&, std::uint64_t, std::span<const std::uint8_t>,
                      Day) override {
    return Error::kUnavailable;
  }
  Status AppendUpload(const UploadId&, std::uint64_t, std::span<const std::uint8_t>) override {
    return Error::kUnavailable;
  }
  void AppendUploadAsync(const UploadId&, std::uint64_t, std::vector<std::uint8_t>,
                         Completion done) override {
    done(Error::kUnavailable);
  }
  Result<UploadInfo> DescribeUpload(const UploadId&) override { return Error::kUnavailable; }
  Status FinalizeUpload(const UploadId&, const EnvelopeId&, Day) override {
    return Error::kUnavailable;
  }
  void FinalizeUploadAsync(const UploadId&, const EnvelopeId&, Day, Completion done) override {
    done(Error::kUnavailable);
  }
  Result<std::size_t> ExpireUploads(Day, std::int64_t) override { return Error::kUnavailable; }

  // Replies are placed one request each: a sealed reply may fill most of a
  // frame. Each call stands alone, as PlaceReplies on the store does.
  Result<std::size_t> PlaceReplies(std::uint64_t batch_number, std::span<const StoredReply> replies,
                                   Day day) override {
    std::size_t placed = 0;
    for (const StoredReply& reply : replies) {
      ControlRequest request = Request(ControlMethod::kPlaceReplies);
      request.set_number(batch_number);
      request.set_count(static_cast<std::uint64_t>(day));
      request.set_mailbox(std::string(AsText(reply.mailbox)));
      request.add_ids(std::string(AsText(reply.id.bytes())));
      request.set_data(std::string(AsText(reply.sealed)));
      auto response = Call(request);
      if (!response.ok()) return response.error();
      placed += static_cast<std::size_t>(response.value().number());
    }
    return placed;
  }
  // Reading and expiring mailboxes belong to the server.
  Result<std::vector<ReplyInfo>> ListReplies(const MailboxKey&) override { return Error::kUnavailable; }
  Result<std::vector<std::uint8_t>> ReadReply(const MailboxKey&, const ReplyId&) override {
    return Error::kUnavailable;
  }
  Result<std::size_t> ExpireReplies(Day, std::int64_t) override { return Error::kUnavailable; }

  Status ReadEnvelope(const EnvelopeId& id, ByteSink& sink) override {
    ControlRequest request = Request(ControlMethod::kReadEnvelope);
    request.set_data(std::string(AsText(id.bytes())));
    AMPARO_RETURN_IF_ERROR(WriteFrame(fd_, request));
    while (true) {
      ControlResponse response;
      AMPARO_RETURN_IF_ERROR(ReadFrame(fd_, &response));
      AMPARO_RETURN_IF_ERROR(ErrorOf(response));
      if (!response.more()) return OkStatus();
      AMPARO_RETURN_IF_ERROR(sink.Write(AsBytes(response.data())));
    }
  }

  Result<EnvelopeInfo> DescribeEnvelope(const EnvelopeId& id) override {
    ControlRequest request = Request(ControlMethod::kDescribeEnvelope);
    request.set_data(std::string(AsText(id.bytes())));
    auto response = Call(request);
    if (!response.ok()) return response.error();
    if (response.value().values_size() != 3) return Error::kIo;
    return EnvelopeInfo{response.value().values(0), static_cast<Day>(response.value().values(1)),
                        response.value().values(2)};
  }

  Result<std::vector<QueuedEnvelope>> ListEnvelopes(std::uint64_t after_seq,
                                                    std::size_t max_count) override {
    ControlRequest request = Request(ControlMethod::kListEnvelopes);
    request.set_number(after_seq);
    request.set_count(max_count);
    auto response = Call(request);
    if (!response.ok()) return response.error();
    const auto& r = response.value();
    if (r.seqs_size() != r.ids_size()) return Error::kIo;
    std::vector<QueuedEnvelope> listed;
    for (int i = 0; i < r.seqs_size(); ++i) {
      if (r.ids(i).size() != kIdBytes) return Error::kIo;
      EnvelopeId::Bytes raw{};
      std::copy(r.ids(i).begin(), r.ids(i).end(), raw.begin());
      listed.push_back({r.seqs(i), EnvelopeId(raw)});
    }
    return listed;
  }

  Result<std::size_t> DeleteEnvelopes(std::span<const EnvelopeId> ids) override {
    ControlRequest request = Request(ControlMethod::kDeleteEnvelopes);
    for (const EnvelopeId& id : ids) request.add_ids(std::string(AsText(id.bytes())));
    auto response = Call(request);
    if (!response.ok()) return response.error();
    return static_cast<std::size_t>(response.value().number());
  }

  Result<std::uint64_t> TakeExportNumber() override {
    auto response = Call(Request(ControlMethod::kTakeExportNumber));
    if (!response.ok()) return response.error();
    return response.value().number();
  }

  // Only a restore continues the export numbers, with the gateway stopped.
  Result<std::uint64_t> ContinueExportsAfter(Day, std::uint64_t) override {
    return Error::kUnavailable;
  }

  Status CompactAll() override {
    auto response = Call(Request(ControlMethod::kCompactAll));
    return response.ok() ? OkStatus() : Status(response.error());
  }

  Status WriteCheckpoint() override {
    auto response = Call(Request(ControlMethod::kWriteCheckpoint));
    return response.ok() ? OkStatus() : Status(response.error());
  }

  Status PutKeyBundle(std::uint64_t version, std::span<const std::uint8_t> signed_bytes) override {
    ControlRequest request = Request(ControlMethod::kPutKeyBundle);
    request.set_number(version);
    request.set_data(std::string(AsText(signed_bytes)));
    auto response = Call(request);
    return response.ok() ? OkStatus() : Status(response.error());
  }

  Result<std::optional<KeyBundleRecord>> CurrentKeyBundle() override {
    auto response = Call(Request(ControlMethod::kCurrentKeyBundle));
    if (!response.ok()) return response.error();
    if (!response.value().present()) return std::optional<KeyBundleRecord>();
    const auto bytes = AsBytes(response.value().data());
    return std::optional<KeyBundleRecord>(
        KeyBundleRecord{response.value().number(), {bytes.begin(), bytes.end()}});
  }

  Result<std::uint64_t> AppendAudit(Day day, std::string_view event_text) override {
    ControlRequest request = Request(ControlMethod::kAppendAudit);
    request.set_number(static_cast<std::uint64_t>(day));
    request.set_text(std::string(event_text));
    auto response = Call(request);
    if (!response.ok()) return response.error();
    return response.value().number();
  }

  Result<AuditVerdict> VerifyAuditChain() override {
    auto response = Call(Request(ControlMethod::kVerifyAuditChain));
    if (!response.ok()) return response.error();
    AuditVerdict verdict;
    verdict.length = response.value().number();
    if (!response.value().present()) {
      if (response.value().values_size() != 1) return Error::kIo;
      verdict.first_broken = response.value().values(0);
    }
    return verdict;
  }

  Result<StoreStats> Stats() override {
    auto response = Call(Request(ControlMethod::kStats));
    if (!response.ok()) return response.error();
    const auto& v = response.value().values();
    if (v.size() != 10) return Error::kIo;
    StoreStats stats;
    stats.envelopes = v[0];
    stats.envelope_bytes = v[1];
    stats.open_uploads = v[2];
    stats.upload_bytes = v[3];
    stats.key_bundle_version = v[4];
    stats.audit_length = v[5];
    stats.disk_bytes = v[6];
    stats.commit_writes = v[7];
    stats.commit_syncs = v[8];
    stats.next_seq = v[9];
    return stats;
  }

 private:
  static ControlRequest Request(ControlMethod method) {
    ControlRequest request;
    request.set_method(static_cast<std::uint32_t>(method));
    return request;
  }

  static Status ErrorOf(const ControlResponse& response) {
    if (response.error() == 0) return OkStatus();
    const auto error = ErrorFromCode(response.error());
    return error ? Status(*error) : Status(Error::kIo);
  }

  Result<ControlResponse> Call(const ControlRequest& request) {
    AMPARO_RETURN_IF_ERROR(WriteFrame(fd_, request));
    ControlResponse response;
    AMPARO_RETURN_IF_ERROR(ReadFrame(fd_, &response));
    AMPARO_RETURN_IF_ERROR(ErrorOf(response));
    if (response.more()) return Error::kIo;  // a stream where none was asked for
    return response;
  }

  const int fd_;
};

}  // namespace

Result<std::unique_ptr<EnvelopeStore>> ConnectRemoteStore(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string name = path.string();
  if (name.size() >= sizeof address.sun_path) return Error::kInvalidArgument;
  std::memcpy(address.sun_path, name.c_str(), name.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error::kIo;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return Error::kUnavailable;
  }
  if (!SetControlTimeouts(fd, ControlTimeouts::kWritesOnly).ok()) {
    ::close(fd);
    return Error::kIo;
  }
  return std::unique_ptr<EnvelopeStore>(std::make_unique<RemoteStore>(fd));
}

}  // namespace amparo::storage
