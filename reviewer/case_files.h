#pragma once
// case_files.h: reading an imported envelope on the workstation. The bytes
// stay sealed on disk, as they came from the gateway (ENVELOPE.md framing
// around an age file); they are opened with the keystore's keys only for as
// long as a command needs them.

#include <filesystem>
#include <string>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "crypto/identities.h"
#include "proto/submission.pb.h"
#include "proto/workstation.pb.h"

namespace amparo::reviewer {

// KeyRing is the keystore's kept keys, parsed, with their ids.
struct KeyRing {
  std::vector<std::string> ids;
  std::vector<crypto::age::X25519Identity> identities;
};

// LoadKeyRing parses every key of the keystore that still has its secret.
Result<KeyRing> LoadKeyRing(const v1::Keystore& keystore);

// EnvelopeLayout is where an envelope's age file starts and what it holds.
struct EnvelopeLayout {
  std::uint64_t age_offset = 0;
  std::uint64_t padded_length = 0;
  std::uint64_t total_length = 0;
};

// ReadEnvelopeLayout checks an envelope file's framing (ENVELOPE.md section
// 8, with no bundle version refused) and its exact length.
Result<EnvelopeLayout> ReadEnvelopeLayout(const std::filesystem::path& file);

// KeysThatOpen returns the ids of the ring's keys that unwrap one of the
// envelope's stanzas (the header is parsed once; one X25519 operation per
// key and stanza).
Result<std::vector<std::string>> KeysThatOpen(const std::filesystem::path& file,
                                              const EnvelopeLayout& layout, const KeyRing& ring);

// OpenEnvelope decrypts the whole age file with the ring's keys into `sink`
// (a PlaintextReader, usually). Errors of age decryption pass through; the
// sink's output is authentic only if this returns ok.
Status OpenEnvelope(const std::filesystem::path& file, const EnvelopeLayout& layout,
                    const KeyRing& ring, ByteSink& sink);

// ReadCaseSubmission decrypts just enough of a case to parse its Submission
// (every STREAM chunk authenticates on its own, so the prefix read is
// authentic); the age and framing errors pass through.
Result<v1::Submission> ReadCaseSubmission(const std::filesystem::path& file, const KeyRing& ring);

}  // namespace amparo::reviewer
