// amparo-bench-make-envelope: seals one small valid envelope (its padded
// plaintext is the 4096-byte minimum bucket) against a key bundle, for the
// gateway benchmark to POST over and over. See bench/README.md.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <string>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/file_io.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/random.h"
#include "crypto/signatures.h"
#include "proto/submission.pb.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_validator.h"
#include "protocol/key_bundle.h"
#include "protocol/key_selection.h"
#include "protocol/padme.h"

namespace {

int Fail(const std::string& message, amparo::Error error) {
  std::cerr << "amparo-bench-make-envelope: " << message << ": " << amparo::ErrorName(error)
            << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-bench-make-envelope: seal one 4 KiB-bucket envelope for benchmarks"};
  std::string bundle_path;
  std::string fingerprint_text;
  std::string out_path;
  app.add_option("--key-bundle", bundle_path, "signed key bundle file")->required();
  app.add_option("--root-fingerprint", fingerprint_text, "pinned root fingerprint")->required();
  app.add_option("--out", out_path, "envelope file to create")->required();
  CLI11_PARSE(app, argc, argv);

  auto bundle_bytes = amparo::ReadSmallFile(bundle_path, amparo::limits::kMaxSignedKeyBundleBytes);
  if (!bundle_bytes.ok()) return Fail("cannot read the key bundle", bundle_bytes.error());
  auto fingerprint = amparo::crypto::ParseFingerprint(fingerprint_text);
  if (!fingerprint.ok()) return Fail("malformed root fingerprint", fingerprint.error());

  const amparo::Day today = amparo::SystemClock().Today();
  auto bundle = amparo::protocol::VerifyKeyBundle(amparo::AsBytes(bundle_bytes.value()),
                                                  fingerprint.value(), today);
  if (!bundle.ok()) return Fail("the key bundle does not verify", bundle.error());

  std::string body;
  for (const auto& key : bundle.value().content.keys) {
    if (amparo::protocol::SelectKeyForBody(bundle.value(), key.body, today).has_value()) {
      body = key.body;
      break;
    }
  }
  if (body.empty()) return Fail("no body in the bundle has a key today", amparo::Error::kNotFound);

  amparo::v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(bundle.value().content.version);
  submission.add_bodies(body);
  submission.mutable_reporter()->set_role(amparo::v1::REPORTER_ROLE_WITNESS);
  submission.set_narrative("Benchmark submission.");

  amparo::crypto::SystemRandom random;
  amparo::VectorSink sealed;
  const amparo::protocol::SealRequest request{bundle.value(), today, submission, {}};
  if (auto status = amparo::protocol::SealEnvelope(request, sealed, random); !status.ok()) {
    return Fail("cannot seal", status.error());
  }

  // The gateway must accept it, and it must be the smallest envelope there is.
  auto head = amparo::protocol::ValidateEnvelope(sealed.bytes(), {});
  if (!head.ok()) return Fail("the sealed envelope does not validate", head.error());
  if (head.value().padded_length != amparo::protocol::kMinPaddedLength) {
    return Fail("the envelope is not in the minimum bucket", amparo::Error::kLimitExceeded);
  }

  auto out = amparo::AtomicFileSink::Create(out_path);
  if (!out.ok()) return Fail("cannot create the output file", out.error());
  if (auto status = out.value()->Write(sealed.bytes()); !status.ok()) {
    return Fail("cannot write the output file", status.error());
  }
  if (auto status = out.value()->Commit(); !status.ok()) {
    return Fail("cannot write the output file", status.error());
  }
  std::cout << sealed.bytes().size() << '\n';
  return 0;
}
