#include "crypto/age_decrypt.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/secret.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

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
               std::span<const std::uint8_t> sealed, SecretBuffer& plaintext,
               std::size_t* opened_length) {
  const auto nonce = ChunkNonce(counter, last);
  unsigned long long opened = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(plaintext.data(), &opened, nullptr,
                                                sealed.data(), sealed.size(), nullptr, 0,
                                                nonce.data(), key.data()) != 0) {
    return false;
  }
  *opened_length = static_cast<std::size_t>(opened);
  return true;
}

// DecryptPayload releases each chunk as soon as it authenticates, like the
// reference implementation, so that what a caller sees before a payload
// failure is exactly what the CCTV vectors expect.
Status DecryptPayload(const FileKey& file_key, ByteSource& in, ByteSink& out) {
  std::array<std::uint8_t, kPayloadNonceSize> nonce{};
  auto got = ReadFull(in, nonce);
  if (!got.ok()) return got.error();
  if (got.value() != nonce.size()) return Error::kHeader;  // as the CCTV vectors classify it
  const auto payload_key = PayloadKey(file_key, nonce);

  SecretBuffer sealed(kEncryptedChunkSize);
  SecretBuffer plaintext(kChunkSize);
  for (std::uint64_t counter = 0;; ++counter) {
    got = ReadFull(in, sealed.span());
    if (!got.ok()) return got.error();
    const std::size_t length = got.value();
    // End of input before a chunk marked final: the stream was cut.
    if (length == 0) return Error::kPayload;
    if (length < kTagSize) return Error::kPayload;
    const auto chunk = sealed.span().first(length);
    // A short chunk can only be the final one; a full chunk is final only if
    // it authenticates as such.
    bool last = length < kEncryptedChunkSize;
    std::size_t opened = 0;
    if (!OpenChunk(payload_key, counter, last, chunk, plaintext, &opened)) {
      if (last || !OpenChunk(payload_key, counter, true, chunk, plaintext, &opened)) {
        return Error::kPayload;
      }
      last = true;
    }
    // Only an entirely empty payload may end with an empty chunk.
    if (last && opened == 0 && counter > 0) return Error::kPayload;
    AMPARO_RETURN_IF_ERROR(out.Write(plaintext.span().first(opened)));
    if (last) {
      std::uint8_t extra = 0;
      got = ReadFull(in, std::span(&extra, 1));
      if (!got.ok()) return got.error();
      return got.value() == 0 ? OkStatus() : Status(Error::kPayload);  // trailing data
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
