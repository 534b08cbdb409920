#include "storage/store_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/io.h"
#include "storage/control_protocol.h"

namespace amparo::storage {
namespace {

using v1::ControlRequest;
using v1::ControlResponse;

Result<EnvelopeId> IdFrom(const std::string& bytes) {
  if (bytes.size() != kIdBytes) return Error::kInvalidArgument;
  EnvelopeId::Bytes raw{};
  std::copy(bytes.begin(), bytes.end(), raw.begin());
  return EnvelopeId(raw);
}

ControlResponse Failed(Error error) {
  ControlResponse response;
  response.set_error(ErrorCode(error));
  return response;
}

// ChunkSink sends an envelope's bytes as responses with more = true.
class ChunkSink final : public ByteSink {
 public:
  explicit ChunkSink(int fd) : fd_(fd) {}
  Status Write(std::span<const std::uint8_t> data) override {
    while (!data.empty()) {
      const std::size_t n = std::min(data.size(), kControlChunkBytes);
      ControlResponse chunk;
      chunk.set_more(true);
      chunk.set_data(std::string(AsText(data.first(n))));
      AMPARO_RETURN_IF_ERROR(WriteFrame(fd_, chunk));
      data = data.subspan(n);
    }
    return OkStatus();
  }

 private:
  int fd_;
};

// Answer runs one request; a streamed read has sent its chunks already.
ControlResponse Answer(int fd, const ControlRequest& request, EnvelopeStore& store,
                       const std::function<void()>& bundle_installed) {
  ControlResponse response;
  switch (static_cast<ControlMethod>(request.method())) {
    case ControlMethod::kListEnvelopes: {
      auto listed = store.ListEnvelopes(request.number(), static_cast<std::size_t>(request.count()));
      if (!listed.ok()) return Failed(listed.error());
      for (const auto& entry : listed.value()) {
        response.add_seqs(entry.seq);
        response.add_ids(std::string(AsText(entry.id.bytes())));
      }
      return response;
    }
    case ControlMethod::kDescribeEnvelope: {
      auto id = IdFrom(request.data());
      if (!id.ok()) return Failed(id.error());
      auto info = store.DescribeEnvelope(id.value());
      if (!info.ok()) return Failed(info.error());
      response.add_values(info.value().seq);
      response.add_values(static_cast<std::uint64_t>(info.value().day));
      response.add_values(info.value().size);
      return response;
    }
    case ControlMethod::kReadEnvelope: {
      auto id = IdFrom(request.data());
      if (!id.ok()) return Failed(id.error());
      ChunkSink chunks(fd);
      const Status read = store.ReadEnvelope(id.value(), chunks);
      return read.ok() ? response : Failed(read.error());
    }
    case ControlMethod::kDeleteEnvelopes: {
      std::vector<EnvelopeId> ids;
      for (const auto& bytes : request.ids()) {
        auto id = IdFrom(bytes);
        if (!id.ok()) return Failed(id.error());
        ids.push_back(id.value());
      }
      auto deleted = store.DeleteEnvelopes(ids);
      if (!deleted.ok()) return Failed(deleted.error());
      response.set_number(deleted.value());
      return response;
    }
    case ControlMethod::kCompactAll: {
      const Status compacted = store.CompactAll();
      return compacted.ok() ? response : Failed(compacted.error());
    }
    case ControlMethod::kWriteCheckpoint: {
      const Status written = store.WriteCheckpoint();
      return written.ok() ? response : Failed(written.error());
    }
    case ControlMethod::kTakeExportNumber: {
      auto number = store.TakeExportNumber();
      if (!number.ok()) return Failed(number.error());
      response.set_number(number.value());
      return response;
    }
    case ControlMethod::kPutKeyBundle: {
      const Status stored = store.PutKeyBundle(request.number(), AsBytes(request.data()));
      if (!stored.ok()) return Failed(stored.error());
      if (bundle_installed) bundle_installed();
      return response;
    }
    case ControlMethod::kCurrentKeyBundle: {
      auto bundle = store.CurrentKeyBundle();
      if (!bundle.ok()) return Failed(bundle.error());
      if (bundle.value()) {
        response.set_present(true);
        response.set_number(bundle.value()->version);
        response.set_data(std::string(AsText(bundle.value()->signed_bytes)));
      }
      return response;
    }
    case ControlMethod::kAppendAudit: {
      auto seq = store.AppendAudit(static_cast<Day>(request.number()), request.text());
      if (!seq.ok()) return Failed(seq.error());
      response.set_number(seq.value());
      return response;
    }
    case ControlMethod::kVerifyAuditChain: {
      auto verdict = store.VerifyAuditChain();
      if (!verdict.ok()) return Failed(verdict.error());
      response.set_number(verdict.value().length);
      response.set_present(verdict.value().intact());
      if (verdict.value().first_broken) response.add_values(*verdict.value().first_broken);
      return response;
    }
    case ControlMethod::kPlaceReplies: {
      if (request.mailbox().size() != 32 || request.ids_size() != 1) return Failed(Error::kInvalidArgument);
      auto id = IdFrom(request.ids(0));
      if (!id.ok()) return Failed(id.error());
      StoredReply reply;
      std::copy(request.mailbox().begin(), request.mailbox().end(), reply.mailbox.begin());
      reply.id = ReplyId(id.value().bytes());
      const auto sealed = AsBytes(request.data());
      reply.sealed.assign(sealed.begin(), sealed.end());
      auto placed = store.PlaceReplies(request.number(), std::span(&reply, 1),
                                       static_cast<Day>(request.count()));
      if (!placed.ok()) return Failed(placed.error());
      response.set_number(placed.value());
      return response;
    }
    case ControlMethod::kStats: {
      auto stats = store.Stats();
      if (!stats.ok()) return Failed(stats.error());
      const StoreStats& s = stats.value();
      for (std::uint64_t value : {s.envelopes, s.envelope_bytes, s.open_uploads, s.upload_bytes,
                                  s.key_bundle_version, s.audit_length, s.disk_bytes,
                                  s.commit_writes, s.commit_syncs, s.next_seq}) {
        response.add_values(value);
      }
      return response;
    }
  }
  return Failed(Error::kInvalidArgument);
}

}  // namespace

Status ServeControlConnection(int fd, EnvelopeStore& store,
                              const std::function<void()>& bundle_installed) {
  while (true) {
    ControlRequest request;
    const Status read = ReadFrame(fd, &request);
    if (!read.ok()) return read.error() == Error::kUnavailable ? OkStatus() : read;
    AMPARO_RETURN_IF_ERROR(WriteFrame(fd, Answer(fd, request, store, bundle_installed)));
  }
}

}  // namespace amparo::storage
