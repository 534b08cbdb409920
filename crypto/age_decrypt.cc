#include "crypto/age_decrypt.h"

#include <sodium.h>

#include <algorithm>

#include "common/parallel.h"
#include "crypto/secret.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

// kBatchChunks chunks are read and opened together, spread over the cores.
constexpr std::size_t kBatchChunks = 16;

Result<FileKey> UnwrapFileKey(std::span<const Identity* const> identities, const Header& header) {
  for (const Identity* identity : identities) {
    auto file_key = identity->Unwrap(header.stanzas);
    if (!file_key.ok()) return file_key.error();
    if (file_key.value()) return std::move(*file_key.value());
  }
  return Error::kNoMatch;
}

// OpenChunk decrypts one encrypted chunk into `plaintext`; false if its tag
// does not verify under the given final-chunk flag.
bool OpenChunk(const SecretBytes<32>& key, std::uint64_t counter, bool last,
               std::span<const std::uint8_t> sealed, std::uint8_t* plaintext,
               std::size_t* opened_length) {
  const auto nonce = ChunkNonce(counter, last);
  unsigned long long opened = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(plaintext, &opened, nullptr,
                                                sealed.data(), sealed.size(), nullptr, 0,
                                                nonce.data(), key.data()) != 0) {
    return false;
  }
  *opened_length = static_cast<std::size_t>(opened);
  return true;
}

// ChunkOutcome is what one chunk of a batch turned out to be.
enum class ChunkOutcome : std::uint8_t { kFailed, kNotFinal, kFinal };

// DecryptPayload releases each chunk, in order, as soon as it authenticates,
// like the reference implementation, so that what a caller sees before a
// payload failure is exactly what the CCTV vectors expect. Chunks are read and
// opened a batch at a time on all cores; a batch bounds memory (about 2 MiB).
Status DecryptPayload(const FileKey& file_key, ByteSource& in, ByteSink& out) {
  std::array<std::uint8_t, kPayloadNonceSize> nonce{};
  auto got = ReadFull(in, nonce);
  if (!got.ok()) return got.error();
  if (got.value() != nonce.size()) return Error::kHeader;  // as the CCTV vectors classify it
  const auto payload_key = PayloadKey(file_key, nonce);

  SecretBuffer sealed(kBatchChunks * kEncryptedChunkSize);
  SecretBuffer plaintext(kBatchChunks * kChunkSize);
  std::array<ChunkOutcome, kBatchChunks> outcomes{};
  std::array<std::size_t, kBatchChunks> opened{};
  ParallelFor parallel;
  for (std::uint64_t counter = 0;;) {
    got = ReadFull(in, sealed.span());
    if (!got.ok()) return got.error();
    const std::size_t length = got.value();
    // End of input before a chunk marked final: the stream was cut.
    if (length == 0) return Error::kPayload;
    const std::size_t count = (length + kEncryptedChunkSize - 1) / kEncryptedChunkSize;
    const std::uint64_t first = counter;
    parallel.Run(count, [&](std::size_t i) {
      const std::size_t begin = i * kEncryptedChunkSize;
      const auto chunk = sealed.span().subspan(begin, std::min(kEncryptedChunkSize, length - begin));
      auto* into = plaintext.data() + i * kChunkSize;
      // A short chunk can only be the final one; a full chunk is final only
      // if it authenticates as such.
      const bool short_chunk = chunk.size() < kEncryptedChunkSize;
      if (OpenChunk(payload_key, first + i, short_chunk, chunk, into, &opened[i])) {
        outcomes[i] = short_chunk ? ChunkOutcome::kFinal : ChunkOutcome::kNotFinal;
      } else if (!short_chunk && OpenChunk(payload_key, first + i, true, chunk, into, &opened[i])) {
        outcomes[i] = ChunkOutcome::kFinal;
      } else {
        outcomes[i] = ChunkOutcome::kFailed;
      }
    });
    // Release, in one write, every chunk up to the first that fails or is
    // final; then decide.
    std::size_t released = 0;
    Status verdict;
    bool final_seen = false;
    for (std::size_t i = 0; i < count; ++i, ++counter) {
      if (outcomes[i] == ChunkOutcome::kFailed) {
        verdict = Error::kPayload;
        break;
      }
      final_seen = outcomes[i] == ChunkOutcome::kFinal;
      // Only an entirely empty payload may end with an empty chunk.
      if (final_seen && opened[i] == 0 && counter > 0) {
        verdict = Error::kPayload;
        break;
      }
      released += opened[i];
      if (final_seen) {
        if (i + 1 < count) verdict = Error::kPayload;  // data after the final chunk
        break;
      }
    }
    AMPARO_RETURN_IF_ERROR(out.Write(plaintext.span().first(released)));
    if (!verdict.ok()) return verdict;
    if (final_seen) {
      std::uint8_t extra = 0;
      got = ReadFull(in, std::span(&extra, 1));
      if (!got.ok()) return got.error();
      return got.value() == 0 ? OkStatus() : Status(Error::kPayload);
    }
  }
}

}  // namespace

Status Decrypt(std::span<const Identity* const> identities, ByteSource& in, ByteSink& out) {
  EnsureSodium();
  auto raw = ReadHeader(in);
  if (!raw.ok()) return raw.error();
  auto header = ParseHeader(raw.value().encoded);
  if (!header.ok()) return header.error();

  auto file_key = UnwrapFileKey(identities, header.value());
  if (!file_key.ok()) return file_key.error();

  const auto expected = HeaderMac(
      file_key.value(), std::span(raw.value().encoded).first(header.value().mac_input_size));
  if (!ConstantTimeEqual(expected, header.value().mac)) return Error::kHmac;

  PrefixedSource payload(raw.value().leftover, in);
  return DecryptPayload(file_key.value(), payload, out);
}

}  // namespace amparo::crypto::age
