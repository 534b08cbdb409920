#pragma once
// envelope_format.h: the fixed shape of a version 1 sealed envelope
// (proto/ENVELOPE.md sections 2 to 4) and the lengths it implies.
//
//   envelope = "AMPE" || u16be(L) || EnvelopeHeader (L bytes) || age header
//              (854 bytes) || age payload (nonce and STREAM chunks of P bytes)

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/limits.h"
#include "protocol/padme.h"

namespace amparo::protocol {

// Framing (section 2).
inline constexpr std::string_view kEnvelopeMagic = "AMPE";
inline constexpr std::size_t kHeaderLengthFieldSize = 2;  // u16be(L)
inline constexpr std::size_t kFramingSize = kEnvelopeMagic.size() + kHeaderLengthFieldSize;
inline constexpr std::size_t kMinHeaderLength = 1;
inline constexpr std::size_t kMaxHeaderLength = 64;

// EnvelopeHeader (section 3).
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::uint8_t kFormatVersionTag = 0x08;          // field 1, varint
inline constexpr std::uint8_t kKeyBundleVersionTag = 0x10;       // field 2, varint
inline constexpr std::uint8_t kPaddedLengthTag = 0x18;           // field 3, varint
inline constexpr std::size_t kMaxVarintBytes = 10;               // a 64-bit varint
// kMinV1HeaderLength and kMaxV1HeaderLength bound a valid version 1 header:
// format 1, a bundle version of 1 to 10 varint bytes, and a bucket P of
// 2 (4096) to 5 (the largest bucket) varint bytes.
inline constexpr std::size_t kMinV1HeaderLength = 7;
inline constexpr std::size_t kMaxV1HeaderLength = 19;

// Age header (section 4.1): the version line, exactly 8 X25519 stanzas of a
// 32-byte share and a 32-byte body, the MAC line.
inline constexpr std::size_t kStanzaCount = 8;
inline constexpr std::string_view kStanzaType = "X25519";
inline constexpr std::size_t kShareSize = 32;
inline constexpr std::size_t kStanzaBodySize = 32;
inline constexpr std::size_t kBase64Of32Bytes = 43;  // unpadded
inline constexpr std::size_t kVersionLineLength = 22;  // "age-encryption.org/v1\n"
inline constexpr std::size_t kStanzaLength =
    (3 + kStanzaType.size() + 1 + kBase64Of32Bytes + 1) + (kBase64Of32Bytes + 1);  // 98
inline constexpr std::size_t kMacLineLength = 4 + kBase64Of32Bytes + 1;                // 48
inline constexpr std::size_t kAgeHeaderLength =
    kVersionLineLength + kStanzaCount * kStanzaLength + kMacLineLength;
static_assert(kStanzaLength == 98);
static_assert(kAgeHeaderLength == 854);

// Age payload (section 4.2).
inline constexpr std::size_t kPayloadNonceSize = 16;
inline constexpr std::size_t kStreamChunkSize = 64 * 1024;
inline constexpr std::size_t kStreamTagSize = 16;

// kMaxEnvelopeHeadBytes is the most any check before the payload needs: the
// framing, the longest header the framing allows, the age header (924 bytes).
inline constexpr std::size_t kMaxEnvelopeHeadBytes =
    kFramingSize + kMaxHeaderLength + kAgeHeaderLength;
static_assert(kMaxEnvelopeHeadBytes == 924);

// ExpectedPayloadLength returns payload_len(P) = 16 + P + 16 * ceil(P / 65536),
// the exact age payload length for a plaintext of P bytes. P must be at most
// the compiled ceiling on padded lengths (larger values abort: callers check
// the limit first).
constexpr std::uint64_t ExpectedPayloadLength(std::uint64_t padded_length) {
  if (padded_length > limits::kMaxPaddedLength) std::abort();
  const std::uint64_t chunks = (padded_length + kStreamChunkSize - 1) / kStreamChunkSize;
  return kPayloadNonceSize + padded_length + kStreamTagSize * chunks;
}

// ExpectedEnvelopeLength returns envelope_len = 6 + L + 854 + payload_len(P).
// L must be at most kMaxHeaderLength and P at most the compiled ceiling
// (larger values abort).
constexpr std::uint64_t ExpectedEnvelopeLength(std::size_t header_length,
                                               std::uint64_t padded_length) {
  if (header_length > kMaxHeaderLength) std::abort();
  return kFramingSize + header_length + kAgeHeaderLength + ExpectedPayloadLength(padded_length);
}

static_assert(ExpectedEnvelopeLength(7, 4096) == 4995);
static_assert(ExpectedEnvelopeLength(kMaxV1HeaderLength, kLargestPaddedBucket) == 1074004863);
static_assert(ExpectedEnvelopeLength(kMaxV1HeaderLength, kLargestPaddedBucket) <=
              limits::kMaxEnvelopeBytes);

}  // namespace amparo::protocol
