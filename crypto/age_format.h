#pragma once
// age_format.h: the age v1 file format (age-encryption.org/v1): constants,
// recipient stanzas, and the canonical textual header.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/io.h"
#include "common/limits.h"
#include "common/result.h"
#include "crypto/secret.h"

namespace amparo::crypto::age {

inline constexpr std::string_view kVersionLine = "age-encryption.org/v1";
inline constexpr std::size_t kFileKeySize = 16;
inline constexpr std::size_t kMacSize = 32;
inline constexpr std::size_t kPayloadNonceSize = 16;
inline constexpr std::size_t kChunkSize = 64 * 1024;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kEncryptedChunkSize = kChunkSize + kTagSize;
inline constexpr std::size_t kStanzaLineColumns = 64;
inline constexpr std::size_t kWrappedFileKeySize = kFileKeySize + kTagSize;

// FileKey is the per-file symmetric key that every stanza wraps.
using FileKey = SecretBytes<kFileKeySize>;

// Stanza is one recipient stanza: its arguments (the first names the type)
// and its decoded body.
struct Stanza {
  std::vector<std::string> args;
  std::vector<std::uint8_t> body;
};

// Header is a parsed header. mac_input_size counts the leading bytes of the
// encoded header that the MAC covers (through "---"); the MAC is checked over
// those exact received bytes, never over a re-encoding.
struct Header {
  std::vector<Stanza> stanzas;
  std::array<std::uint8_t, kMacSize> mac{};
  std::size_t mac_input_size = 0;
};

// ParseHeader parses exactly one encoded header, from the version line through
// the MAC line's newline, accepting the canonical encoding only; kHeader for
// anything else, including trailing bytes, more than kMaxAgeStanzas stanzas or
// more than kMaxStanzaArguments arguments.
Result<Header> ParseHeader(std::span<const std::uint8_t> encoded);

// EncodeStanza returns the canonical text of one stanza.
std::string EncodeStanza(const Stanza& stanza);

// EncodeHeaderMacInput returns the version line and stanzas followed by "---":
// the bytes the header MAC covers.
std::string EncodeHeaderMacInput(std::span<const Stanza> stanzas);

// HeaderMac returns HMAC-SHA-256 under HKDF(file key, "", "header").
std::array<std::uint8_t, kMacSize> HeaderMac(const FileKey& file_key,
                                             std::span<const std::uint8_t> mac_input);

// ReadHeader reads the encoded header from a stream: everything through the
// first line that starts with "---". Bytes read past it are returned in
// `leftover`; they begin the payload. kHeader if no such line ends within
// max_bytes (at most kMaxAgeHeaderBytes), kIo or kArmor from the source.
struct RawHeader {
  std::vector<std::uint8_t> encoded;
  std::vector<std::uint8_t> leftover;
};
Result<RawHeader> ReadHeader(ByteSource& source,
                             std::size_t max_bytes = limits::kMaxAgeHeaderBytes);

// PayloadKey derives the STREAM key HKDF(file key, nonce, "payload").
SecretBytes<32> PayloadKey(const FileKey& file_key,
                           std::span<const std::uint8_t, kPayloadNonceSize> nonce);

// ChunkNonce returns the 12-byte STREAM nonce: an 11-byte big-endian counter
// and a final-chunk flag.
std::array<std::uint8_t, 12> ChunkNonce(std::uint64_t counter, bool last);

// X25519WrapKey derives HKDF(shared secret, share || recipient,
// "age-encryption.org/v1/X25519").
SecretBytes<32> X25519WrapKey(std::span<const std::uint8_t, 32> shared_secret,
                              std::span<const std::uint8_t, 32> share,
                              std::span<const std::uint8_t, 32> recipient);

// ScryptWrapKey derives scrypt(N = 2^log_n, r = 8, p = 1, dkLen = 32,
// S = "age-encryption.org/v1/scrypt" || salt, P = passphrase). log_n must be
// in [1, kMaxScryptLogN] (kInvalidArgument otherwise).
Result<SecretBytes<32>> ScryptWrapKey(std::span<const std::uint8_t> passphrase,
                                      std::span<const std::uint8_t, 16> salt, int log_n);

}  // namespace amparo::crypto::age
