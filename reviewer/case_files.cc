#include "reviewer/case_files.h"

#include "protocol/plaintext_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include "common/file_io.h"
#include "crypto/secret.h"
#include "crypto/age_decrypt.h"
#include "crypto/age_format.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_validator.h"

namespace amparo::reviewer {
namespace {

// OpenFd opens a file read-only, closed by the holder.
class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  int fd() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status SeekTo(int fd, std::uint64_t offset) {
  return ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) == static_cast<off_t>(offset)
             ? OkStatus()
             : Status(Error::kIo);
}

}  // namespace

Result<KeyRing> LoadKeyRing(const v1::Keystore& keystore) {
  KeyRing ring;
  for (const auto& key : keystore.keys()) {
    if (key.secret_key().empty()) continue;  // destroyed
    auto identity = crypto::age::X25519Identity::Parse(key.secret_key());
    if (!identity.ok()) return identity.error();
    ring.ids.push_back(key.key_id());
    ring.identities.push_back(std::move(identity).value());
  }
  return ring;
}

Result<EnvelopeLayout> ReadEnvelopeLayout(const std::filesystem::path& file) {
  ReadOnlyFile in(file);
  if (!in.ok()) return Error::kIo;
  std::vector<std::uint8_t> head(protocol::kMaxEnvelopeHeadBytes);
  FdSource source(in.fd());
  auto got = ReadFull(source, head);
  if (!got.ok()) return got.error();
  head.resize(got.value());
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  if (error) return Error::kIo;
  // The workstation refuses no bundle version: whatever the gateway
  // accepted may be opened here.
  protocol::AcceptancePolicy any_version;
  any_version.lowest_accepted_bundle_version = 0;
  auto checked = protocol::ValidateEnvelopeHead(head, any_version, size);
  if (!checked.ok()) return checked.error();
  EnvelopeLayout layout;
  layout.age_offset = checked.value().head_length - protocol::kAgeHeaderLength;
  layout.padded_length = checked.value().padded_length;
  layout.total_length = checked.value().total_length;
  return layout;
}

Result<std::vector<std::string>> KeysThatOpen(const std::filesystem::path& file,
                                              const EnvelopeLayout& layout, const KeyRing& ring) {
  ReadOnlyFile in(file);
  if (!in.ok()) return Error::kIo;
  AMPARO_RETURN_IF_ERROR(SeekTo(in.fd(), layout.age_offset));
  FdSource source(in.fd());
  auto raw = crypto::age::ReadHeader(source);
  if (!raw.ok()) return raw.error();
  auto header = crypto::age::ParseHeader(raw.value().encoded);
  if (!header.ok()) return header.error();
  // A key opens the envelope only if the file key it unwraps also
  // authenticates the header: a crafted stanza could unwrap some key's
  // secret to a file key that the rest of the envelope was not sealed with.
  const auto mac_input = std::span(raw.value().encoded).first(header.value().mac_input_size);
  std::vector<std::string> openers;
  for (std::size_t i = 0; i < ring.identities.size(); ++i) {
    auto key = ring.identities[i].Unwrap(header.value().stanzas);
    if (!key.ok() || !key.value().has_value()) continue;
    const auto mac = crypto::age::HeaderMac(*key.value(), mac_input);
    if (crypto::ConstantTimeEqual(mac, header.value().mac)) openers.push_back(ring.ids[i]);
  }
  return openers;
}

Status OpenEnvelope(const std::filesystem::path& file, const EnvelopeLayout& layout,
                    const KeyRing& ring, ByteSink& sink) {
  ReadOnlyFile in(file);
  if (!in.ok()) return Error::kIo;
  AMPARO_RETURN_IF_ERROR(SeekTo(in.fd(), layout.age_offset));
  FdSource source(in.fd());
  std::vector<const crypto::age::Identity*> identities;
  for (const auto& identity : ring.identities) identities.push_back(&identity);
  return crypto::age::Decrypt(identities, source, sink);
}

// ReadCaseSubmission decrypts just enough of a case to parse its Submission.
// Every STREAM chunk is authenticated on its own, so the prefix read is
// authentic even though the rest is not read.
class StopAfterSubmission final : public ByteSink {
 public:
  explicit StopAfterSubmission(protocol::PlaintextReader& reader) : reader_(reader) {}
  Status Write(std::span<const std::uint8_t> data) override {
    AMPARO_RETURN_IF_ERROR(reader_.Write(data));
    // kUnavailable is the signal to stop, recognised by ReadCaseSubmission.
    return reader_.submission_ready() ? Status(Error::kUnavailable) : OkStatus();
  }

 private:
  protocol::PlaintextReader& reader_;
};

Result<v1::Submission> ReadCaseSubmission(const std::filesystem::path& file, const KeyRing& ring) {
  auto layout = ReadEnvelopeLayout(file);
  if (!layout.ok()) return layout.error();
  protocol::PlaintextReader reader(layout.value().padded_length);
  StopAfterSubmission stop(reader);
  const Status opened = OpenEnvelope(file, layout.value(), ring, stop);
  if (reader.submission_ready()) return reader.submission();
  return opened.ok() ? Status(Error::kMalformedEnvelope).error() : opened.error();
}

}  // namespace amparo::reviewer
