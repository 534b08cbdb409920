#include "submit/commands.h"

#include <memory>
#include <optional>
#include <string_view>

#include "common/exit_code.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "protocol/key_selection.h"
#include "protocol/padme.h"
#include "submit/envelope_buffer.h"
#include "submit/failure.h"
#include "submit/key_fetch.h"
#include "submit/progress.h"

namespace amparo::submit {
namespace {

// ProgressSink counts the bytes passing to a borrowed sink into a progress bar.
class ProgressSink final : public ByteSink {
 public:
  ProgressSink(ByteSink& inner, Progress& progress) : inner_(inner), progress_(progress) {}
  Status Write(std::span<const std::uint8_t> data) override {
    AMPARO_RETURN_IF_ERROR(inner_.Write(data));
    written_ += data.size();
    progress_.Update(written_);
    return OkStatus();
  }

 private:
  ByteSink& inner_;
  Progress& progress_;
  std::uint64_t written_ = 0;
};

// EnvelopeLength returns the exact length of the envelope a Submission and
// its attachments will make; kLimitExceeded if they cannot fit the largest
// bucket.
Result<std::uint64_t> EnvelopeLength(const v1::Submission& submission,
                                     std::span<const protocol::AttachmentStream> attachments) {
  auto content = protocol::FramedContentLength(submission.ByteSizeLong(), attachments);
  if (!content.ok()) return content.error();
  auto padded = protocol::PaddedLength(content.value());
  if (!padded.ok()) return padded.error();
  auto header = protocol::EncodeEnvelopeHeader(
      {protocol::kFormatVersion, submission.key_bundle_version(), padded.value()});
  if (!header.ok()) return header.error();
  return protocol::ExpectedEnvelopeLength(header.value().size(), padded.value());
}

std::string_view DescribeSealError(Error error) {
  if (error == Error::kLimitExceeded) {
    return "the submission is too large: the attachments may total at most 1 GiB";
  }
  if (error == protocol::kExpiredKeyBundle) return "the key bundle has expired";
  if (error == Error::kIo) return "cannot read an attached file or write the temporary file";
  return "an attached file changed while it was being sealed";
}

// Sealed is a sealed envelope, ready to upload.
struct Sealed {
  std::unique_ptr<EnvelopeBuffer> buffer;
};

Result<Sealed> Seal(const protocol::VerifiedKeyBundle& bundle, v1::Submission& submission,
                    std::span<const std::unique_ptr<AttachmentFile>> files,
                    const SendEnvironment& environment, std::string_view* failure) {
  submission.set_key_bundle_version(bundle.content.version);
  std::vector<std::unique_ptr<HashingSource>> hashing;
  std::vector<protocol::AttachmentStream> streams;
  for (const auto& file : files) {
    if (!file->Rewind().ok()) {
      *failure = "cannot read an attached file";
      return Error::kIo;
    }
    hashing.push_back(std::make_unique<HashingSource>(file->source()));
    streams.push_back({hashing.back().get(), file->length()});
  }
  auto length = EnvelopeLength(submission, streams);
  if (!length.ok()) {
    *failure = DescribeSealError(length.error());
    return length.error();
  }

  Sealed sealed{std::make_unique<EnvelopeBuffer>(environment.memory_limit, environment.temp_dir)};
  Progress progress = environment.show_progress ? Progress::ForStderr("Sealing  ", length.value())
                                                : Progress("", 0, nullptr);
  ProgressSink sink(*sealed.buffer, progress);
  const protocol::SealRequest request{bundle, environment.today, submission, streams};
  const Status status = protocol::SealEnvelope(request, sink, *environment.random);
  progress.Finish();
  if (!status.ok()) {
    *failure = DescribeSealError(status.error());
    return status.error();
  }
  // The manifest's digests were taken before sealing; the bytes sealed must
  // be those bytes, or the workstation would reject the submission.
  for (std::size_t i = 0; i < hashing.size(); ++i) {
    const Sha256Digest digest = hashing[i]->Finish();
    const std::string& expected = submission.attachments(static_cast<int>(i)).sha256();
    if (std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()) != expected) {
      *failure = "an attached file changed while it was being sealed";
      return Error::kInvalidArgument;
    }
  }
  if (sealed.buffer->size() != length.value()) {
    *failure = "the sealed envelope does not have its expected length";
    return Error::kIo;
  }
  return sealed;
}

}  // namespace

int RunKeys(GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint,
            std::int64_t today, std::ostream& out, std::ostream& err) {
  std::string_view failure;
  auto bundle = FetchKeyBundle(client, root_fingerprint, today, std::nullopt, &failure);
  if (!bundle.ok()) return Fail(err, failure, bundle.error());
  for (const AvailableBody& body : AvailableBodies(bundle.value(), today)) {
    out << body.code << '\t' << body.label << '\n';
  }
  out.flush();
  if (!out) return Fail(err, "cannot write the list of bodies", kExitIo);
  return kExitSuccess;
}

int RunSend(GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint,
            const SendRequest& request, const SendEnvironment& environment, std::ostream& out,
            std::ostream& err) {
  std::vector<std::unique_ptr<AttachmentFile>> files;
  for (const std::string& path : request.attachments) {
    auto file = AttachmentFile::Open(path);
    if (!file.ok()) {
      return Fail(err,
                  file.error() == Error::kInvalidArgument
                      ? "an attached file's name cannot be shown; rename it"
                      : "cannot open an attached file (it must be a readable regular file)",
                  file.error());
    }
    files.push_back(std::move(file.value()));
  }
  FormProblem problem;
  auto built = BuildSubmission(request.form, files, &problem);
  if (!built.ok()) return Fail(err, problem.description, built.error());
  v1::Submission submission = std::move(built.value());
  if (request.follow_up != nullptr) {
    v1::FollowUp* follow_up = submission.mutable_follow_up();
    follow_up->set_reply_x25519_public_key(request.follow_up->reply_public_key.bytes.data(),
                                           request.follow_up->reply_public_key.bytes.size());
    follow_up->set_mailbox_id(request.follow_up->mailbox_id.data(), request.follow_up->mailbox_id.size());
  }
  submission.set_adds_to_case(request.adds_to_case);

  std::string_view failure;
  auto bundle = FetchKeyBundle(client, root_fingerprint, environment.today, std::nullopt, &failure);
  if (!bundle.ok()) return Fail(err, failure, bundle.error());
  for (const std::string& body : request.form.bodies) {
    if (!protocol::SelectKeyForBody(bundle.value(), body, environment.today).has_value()) {
      return Fail(err,
                  "body " + body + " has no key to seal to today; `amparo-submit keys` lists "
                  "the bodies that can be chosen",
                  kExitUsage);
    }
  }
  if (request.form.bodies.size() > 1) {
    err << "amparo-submit: note: each chosen body will see which other bodies received this "
           "submission\n";
  }

  for (int attempt = 0;; ++attempt) {
    auto sealed = Seal(bundle.value(), submission, files, environment, &failure);
    if (!sealed.ok()) return Fail(err, failure, sealed.error());

    const std::uint64_t total = sealed.value().buffer->size();
    Progress progress = environment.show_progress ? Progress::ForStderr("Uploading", total)
                                                  : Progress("", 0, nullptr);
    UploadHooks hooks;
    hooks.progress = [&progress](std::uint64_t done, std::uint64_t) { progress.Update(done); };
    hooks.wait = environment.wait;
    auto receipt = UploadEnvelope(client, *sealed.value().buffer, hooks, &failure);
    progress.Finish();
    if (receipt.ok()) {
      out << "envelope id: " << HexEncode(receipt.value().envelope_id) << '\n';
      out.flush();
      return kExitSuccess;
    }
    if (receipt.error() != Error::kStaleKeyBundle || attempt > 0) {
      return Fail(err, failure, receipt.error());
    }
    // ENVELOPE.md section 7, step 6: fetch and verify the current bundle,
    // then seal again from the plaintext. The previous bundle bounds the new
    // one, so a gateway cannot answer "stale" to push an older bundle.
    const protocol::AcceptedKeyBundle previous = protocol::AcceptedStateOf(bundle.value());
    auto fresh = FetchKeyBundle(client, root_fingerprint, environment.today, previous, &failure);
    if (!fresh.ok()) return Fail(err, failure, fresh.error());
    if (fresh.value().content.version <= previous.version) {
      return Fail(err, "the gateway refuses the key bundle it serves; try again later",
                  Error::kStaleKeyBundle);
    }
    for (const std::string& body : request.form.bodies) {
      if (!protocol::SelectKeyForBody(fresh.value(), body, environment.today).has_value()) {
        return Fail(err, "body " + body + " no longer has a key to seal to", kExitRejected);
      }
    }
    bundle = std::move(fresh);
  }
}

}  // namespace amparo::submit
