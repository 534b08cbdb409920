#include "crypto/age_encrypt.h"

#include <sodium.h>

#include <algorithm>

#include "common/byte_reader.h"
#include "crypto/base64.h"
#include "crypto/secret.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

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

  // One chunk plus its tag; plaintext is encrypted in place. One byte is read
  // ahead to know whether the current chunk is the last.
  SecretBuffer buffer(kEncryptedChunkSize);
  const auto chunk_area = buffer.span().first(kChunkSize);
  auto filled = ReadFull(plaintext, chunk_area);
  if (!filled.ok()) return filled.error();
  std::size_t length = filled.value();
  for (std::uint64_t counter = 0;; ++counter) {
    bool last = length < kChunkSize;
    std::uint8_t carry = 0;
    if (!last) {
      auto peeked = ReadFull(plaintext, std::span(&carry, 1));
      if (!peeked.ok()) return peeked.error();
      last = peeked.value() == 0;
    }
    const auto chunk_nonce = ChunkNonce(counter, last);
    unsigned long long sealed_length = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(buffer.data(), &sealed_length, buffer.data(),
                                              length, nullptr, 0, nullptr, chunk_nonce.data(),
                                              payload_key.data());
    AMPARO_RETURN_IF_ERROR(out.Write(buffer.span().first(length + kTagSize)));
    if (last) return OkStatus();
    buffer.data()[0] = carry;
    filled = ReadFull(plaintext, chunk_area.subspan(1));
    if (!filled.ok()) return filled.error();
    length = 1 + filled.value();
  }
}

}  // namespace amparo::crypto::age
