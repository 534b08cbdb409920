#include "tests/support/envelope_sealer.h"

#include <utility>
#include <vector>

#include "common/byte_reader.h"
#include "common/file_io.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/random.h"
#include "crypto/signatures.h"
#include "proto/submission.pb.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_validator.h"
#include "protocol/key_selection.h"

namespace amparo::test {

Result<EnvelopeSealer> EnvelopeSealer::Create(const std::string& key_bundle_path,
                                              const std::string& root_fingerprint) {
  auto bundle_bytes = ReadSmallFile(key_bundle_path, limits::kMaxSignedKeyBundleBytes);
  if (!bundle_bytes.ok()) return bundle_bytes.error();
  auto fingerprint = crypto::ParseFingerprint(root_fingerprint);
  if (!fingerprint.ok()) return fingerprint.error();
  const Day today = SystemClock().Today();
  auto bundle = protocol::VerifyKeyBundle(AsBytes(bundle_bytes.value()), fingerprint.value(), today);
  if (!bundle.ok()) return bundle.error();
  std::string body;
  for (const auto& key : bundle.value().content.keys) {
    if (protocol::SelectKeyForBody(bundle.value(), key.body, today).has_value()) {
      body = key.body;
      break;
    }
  }
  if (body.empty()) return Error::kNotFound;
  return EnvelopeSealer(std::move(bundle).value(), today, std::move(body));
}

Result<SealedEnvelope> EnvelopeSealer::Seal(std::string_view narrative,
                                            std::size_t attachment_bytes,
                                            std::uint8_t fill) const {
  v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(bundle_.content.version);
  submission.add_bodies(body_);
  submission.mutable_reporter()->set_role(v1::REPORTER_ROLE_WITNESS);
  submission.set_narrative(std::string(narrative));
  const std::vector<std::uint8_t> attachment(attachment_bytes, fill);
  SpanSource attachment_source(attachment);
  std::vector<protocol::AttachmentStream> streams;
  if (attachment_bytes > 0) {
    v1::Attachment* entry = submission.add_attachments();
    entry->set_file_name("evidence.bin");
    entry->set_media_type("application/octet-stream");
    entry->set_length(attachment_bytes);
    const Sha256Digest digest = crypto::Sha256(attachment);
    entry->set_sha256(digest.data(), digest.size());
    streams.push_back({&attachment_source, attachment_bytes});
  }
  VectorSink sealed;
  crypto::SystemRandom random;
  const protocol::SealRequest request{bundle_, today_, submission, streams};
  AMPARO_RETURN_IF_ERROR(protocol::SealEnvelope(request, sealed, random));
  auto head = protocol::ValidateEnvelope(sealed.bytes(), {});
  if (!head.ok()) return head.error();
  SealedEnvelope envelope;
  envelope.bytes.assign(sealed.bytes().begin(), sealed.bytes().end());
  envelope.digest = crypto::Sha256(AsBytes(envelope.bytes));
  envelope.head_length = head.value().head_length;
  return envelope;
}

}  // namespace amparo::test
