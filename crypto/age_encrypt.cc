#include "crypto/age_encrypt.h"

#include <sodium.h>

#include <algorithm>

#include "common/byte_reader.h"
#include "common/parallel.h"
#include "crypto/base64.h"
#include "crypto/secret.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

// kBatchChunks chunks are processed together, spread over the cores; the
// batch buffer (about 1 MiB) bounds memory whatever the file size.
constexpr std::size_t kBatchChunks = 16;

Status WriteHeader(std::span<const Recipient* const> recipients, const FileKey& file_key,
                   ByteSink& out, RandomSource& random) {
  std::vector<Stanza> stanzas;
  stanzas.reserve(recipients.size());
  for (const Recipient* recipient : recipients) {
    auto stanza = recipient->Wrap(file_key, random);
    if (!stanza.ok()) return stanza.error();
    stanzas.push_back(std::move(stanza).value());
  }
  std::string header = EncodeHeaderMacInput(stanzas);
  const auto mac = HeaderMac(file_key, AsBytes(header));
  header += ' ';
  header += EncodeBase64(mac, Base64Padding::kNone);
  header += '\n';
  return out.Write(AsBytes(header));
}

}  // namespace

Status Encrypt(std::span<const Recipient* const> recipients, ByteSource& plaintext,
               ByteSink& out, RandomSource& random) {
  EnsureSodium();
  if (recipients.empty() || recipients.size() > limits::kMaxAgeStanzas) {
    return Error::kInvalidArgument;
  }
  const bool has_lonely = std::any_of(recipients.begin(), recipients.end(),
                                      [](const Recipient* r) { return r->MustBeAlone(); });
  if (has_lonely && recipients.size() != 1) return Error::kInvalidArgument;

  FileKey file_key;
  random.Fill(file_key.span());
  AMPARO_RETURN_IF_ERROR(WriteHeader(recipients, file_key, out, random));

  std::array<std::uint8_t, kPayloadNonceSize> nonce{};
  random.Fill(nonce);
  AMPARO_RETURN_IF_ERROR(out.Write(nonce));
  const auto payload_key = PayloadKey(file_key, nonce);

  // Batches of chunks are read with one large read (plus one byte ahead, to
  // know which chunk is last) and encrypted on all cores, while the next
  // batch is read and the previous one written: a three-stage pipeline over
  // double buffers. Full chunks lie back to back in `sealed`, so a batch
  // leaves in one write. Memory stays near 4 MiB whatever the file size.
  constexpr std::size_t kBatchBytes = kBatchChunks * kChunkSize;
  std::array<SecretBuffer, 2> plain = {SecretBuffer(kBatchBytes + 1),
                                       SecretBuffer(kBatchBytes + 1)};
  std::array<SecretBuffer, 2> sealed = {SecretBuffer(kBatchChunks * kEncryptedChunkSize),
                                        SecretBuffer(kBatchChunks * kEncryptedChunkSize)};
  ParallelFor parallel;

  // read_batch fills plain[slot] after `carried` bytes already in place.
  const auto read_batch = [&](std::size_t slot, std::size_t carried) -> Result<std::size_t> {
    auto filled = ReadFull(plaintext, plain[slot].span().subspan(carried));
    if (!filled.ok()) return filled.error();
    return carried + filled.value();
  };

  auto next = read_batch(0, 0);
  std::span<const std::uint8_t> previous;  // sealed bytes of the batch before
  Status written;
  for (std::uint64_t counter = 0, batch = 0;; ++batch) {
    if (!next.ok()) return next.error();
    const std::size_t slot = batch % 2;
    const bool last = next.value() <= kBatchBytes;
    const std::size_t length = last ? next.value() : kBatchBytes;
    if (!last) {
      // The byte read ahead starts the next batch.
      plain[1 - slot].data()[0] = plain[slot].data()[kBatchBytes];
    }
    // An empty payload is one empty final chunk.
    const std::size_t count = std::max<std::size_t>(1, (length + kChunkSize - 1) / kChunkSize);
    const std::uint64_t first = counter;
    // Task 0 reads the next batch, task 1 writes the previous one, the
    // others encrypt this one.
    parallel.Run(count + 2, [&](std::size_t task) {
      if (task == 0) {
        if (!last) next = read_batch(1 - slot, 1);
        return;
      }
      if (task == 1) {
        if (!previous.empty()) written = out.Write(previous);
        return;
      }
      const std::size_t i = task - 2;
      const std::size_t begin = i * kChunkSize;
      const std::size_t size = std::min(kChunkSize, length - begin);
      const auto chunk_nonce = ChunkNonce(first + i, last && i + 1 == count);
      unsigned long long sealed_length = 0;
      crypto_aead_chacha20poly1305_ietf_encrypt(sealed[slot].data() + i * kEncryptedChunkSize,
                                                &sealed_length, plain[slot].data() + begin, size,
                                                nullptr, 0, nullptr, chunk_nonce.data(),
                                                payload_key.data());
    });
    AMPARO_RETURN_IF_ERROR(written);
    counter += count;
    const std::size_t bytes = (count - 1) * kEncryptedChunkSize +
                              (length - (count - 1) * kChunkSize) + kTagSize;
    previous = sealed[slot].span().first(bytes);
    if (last) return out.Write(previous);
  }
}

}  // namespace amparo::crypto::age
