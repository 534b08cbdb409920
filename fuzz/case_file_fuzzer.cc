// Fuzzes the workstation's reading of an imported case's file, the sealed
// envelope kept as cases/<id>.envelope (reviewer/case_files.h): the input is
// written to such a file and read with ReadEnvelopeLayout, KeysThatOpen and
// ReadCaseSubmission, as the case commands and LoadCases do, then opened
// whole with OpenEnvelope into a PlaintextReader, as `case show` does. The
// key ring holds one key, kIdentity of fuzz_support.h, loaded from a
// keystore by LoadKeyRing, so that the seeds sealed to it open.
//
// Checked: a layout is given only for a file of exactly its total length,
// whose age file starts inside it and whose padded length is a bucket; a
// case whose Submission reads has a layout and names the key as one that
// opens it; a case that opens whole holds the Submission read from its
// first chunks.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/io.h"
#include "fuzz/fuzz_support.h"
#include "proto/workstation.pb.h"
#include "protocol/padme.h"
#include "protocol/plaintext_reader.h"
#include "reviewer/case_files.h"

namespace {

namespace fs = std::filesystem;
namespace reviewer = amparo::reviewer;
using amparo::fuzz::Check;

constexpr const char* kKeyId = "BODY_A-1";

reviewer::KeyRing FuzzKeyRing() {
  amparo::v1::Keystore keystore;
  keystore.set_schema(1);
  amparo::v1::WorkstationKey* key = keystore.add_keys();
  key->set_key_id(kKeyId);
  key->set_body("BODY_A");
  key->set_secret_key(std::string(amparo::fuzz::kIdentity));
  auto ring = reviewer::LoadKeyRing(keystore);
  Check(ring.ok() && ring.value().ids.size() == 1);
  return std::move(ring).value();
}


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static amparo::fuzz::ScratchFile folder("amparo-fuzz-case", "case.envelope");
  static const reviewer::KeyRing ring = FuzzKeyRing();
  const fs::path file = folder.Write(data, size);

  const auto layout = reviewer::ReadEnvelopeLayout(file);
  const auto submission = reviewer::ReadCaseSubmission(file, ring);
  if (!layout.ok()) {
    Check(!submission.ok());
    return 0;
  }
  Check(layout.value().total_length == size && layout.value().age_offset < size);
  Check(amparo::protocol::IsPadmeBucket(layout.value().padded_length));

  const auto openers = reviewer::KeysThatOpen(file, layout.value(), ring);
  if (submission.ok()) {
    Check(openers.ok() && openers.value().size() == 1 && openers.value()[0] == kKeyId);
  }

  amparo::protocol::PlaintextReader reader(layout.value().padded_length);
  const amparo::Status opened = reviewer::OpenEnvelope(file, layout.value(), ring, reader);
  if (opened.ok() && reader.Finish().ok()) {
    Check(submission.ok() &&
          submission.value().SerializeAsString() == reader.submission().SerializeAsString());
  }
  return 0;
}
