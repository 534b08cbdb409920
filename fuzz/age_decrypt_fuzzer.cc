// Fuzzes Decrypt of a binary age file with a fixed X25519 identity and a cheap
// scrypt passphrase: the verdict and the plaintext released do not depend on
// how the input is split into reads, a header that does not parse is a header
// failure, and a file that opens is exactly as long as its plaintext implies.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/error.h"
#include "common/io.h"
#include "crypto/age_decrypt.h"
#include "crypto/age_format.h"
#include "crypto/identities.h"
#include "crypto/secret.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace age = amparo::crypto::age;
using amparo::fuzz::Check;

constexpr std::array<std::size_t, 6> kSteps = {1, 7, 64, 4096, age::kEncryptedChunkSize + 3, 2};

amparo::crypto::SecretBuffer Passphrase() {
  amparo::crypto::SecretBuffer passphrase(amparo::fuzz::kPassphrase.size());
  std::copy(amparo::fuzz::kPassphrase.begin(), amparo::fuzz::kPassphrase.end(), passphrase.data());
  return passphrase;
}

std::span<const age::Identity* const> Identities() {
  static const age::X25519Identity x25519 = age::X25519Identity::Parse(amparo::fuzz::kIdentity).value();
  static const age::ScryptIdentity scrypt(Passphrase(), amparo::fuzz::kMaxScryptLogN);
  static const std::array<const age::Identity*, 2> identities = {&x25519, &scrypt};
  return identities;
}

struct Outcome {
  std::optional<amparo::Error> error;
  std::vector<std::uint8_t> plaintext;
  bool operator==(const Outcome&) const = default;
};

Outcome Run(amparo::ByteSource& in) {
  amparo::VectorSink out;
  const amparo::Status status = age::Decrypt(Identities(), in, out);
  return {status.ok() ? std::nullopt : std::optional(status.error()), out.bytes()};
}

// SealedPayloadSize is the length of the STREAM payload, nonce included, that
// carries `plaintext` bytes: full chunks, then one shorter final chunk that is
// empty only if the whole plaintext is.
std::size_t SealedPayloadSize(std::size_t plaintext) {
  const std::size_t chunks = plaintext == 0 ? 1 : (plaintext + age::kChunkSize - 1) / age::kChunkSize;
  return age::kPayloadNonceSize + plaintext + chunks * age::kTagSize;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  amparo::SpanSource whole(input);
  const Outcome outcome = Run(whole);
  amparo::fuzz::SplitSource split(input, kSteps);
  Check(Run(split) == outcome);

  amparo::SpanSource again(input);
  const auto raw = age::ReadHeader(again);
  if (!raw.ok() || !age::ParseHeader(raw.value().encoded).ok()) {
    Check(outcome.error == amparo::Error::kHeader);
    return 0;
  }
  if (!outcome.error) {
    Check(size == raw.value().encoded.size() + SealedPayloadSize(outcome.plaintext.size()));
  }
  return 0;
}
