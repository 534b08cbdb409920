// envelope_header_test.cc: the EnvelopeHeader has one encoding. Every other
// way a protobuf parser would read the same values is "malformed envelope",
// a format version other than 1 is "unsupported format version" first, and
// the hand-written reader agrees with the specification's libprotobuf
// definition of canonical on many mutated inputs.

#include "protocol/envelope_header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proto/envelope.pb.h"
#include "protocol/unknown_fields.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/hex.h"

namespace amparo::protocol {
namespace {

using amparo::test::FromHex;

Result<EnvelopeHeaderFields> ParseHex(std::string_view hex) {
  return ParseEnvelopeHeader(FromHex(hex));
}

void ExpectError(std::string_view hex, Error expected) {
  auto parsed = ParseHex(hex);
  ASSERT_FALSE(parsed.ok()) << hex;
  EXPECT_EQ(parsed.error(), expected) << hex;
}

TEST(EnvelopeHeaderTest, EncodesTheSpecificationExample) {
  auto header = EncodeEnvelopeHeader({1, 5, 4096});
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value(), FromHex("08011005188020"));
  auto parsed = ParseEnvelopeHeader(header.value());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), (EnvelopeHeaderFields{1, 5, 4096}));
}

TEST(EnvelopeHeaderTest, HeaderLengthsOfVersionOneRangeFrom7To19) {
  auto shortest = EncodeEnvelopeHeader({1, 1, 4096});
  auto longest = EncodeEnvelopeHeader({1, ~std::uint64_t{0}, 520093696});
  ASSERT_TRUE(shortest.ok() && longest.ok());
  EXPECT_EQ(shortest.value().size(), 7u);
  EXPECT_EQ(longest.value().size(), 19u);
}

TEST(EnvelopeHeaderTest, RefusesToEncodeZero) {
  EXPECT_FALSE(EncodeEnvelopeHeader({0, 5, 4096}).ok());
  EXPECT_FALSE(EncodeEnvelopeHeader({1, 0, 4096}).ok());
  EXPECT_FALSE(EncodeEnvelopeHeader({1, 5, 0}).ok());
}

TEST(EnvelopeHeaderTest, OtherFormatVersionsAreUnsupported) {
  ExpectError("08021005188020", Error::kUnsupportedFormatVersion);
  ExpectError("08001005188020", Error::kUnsupportedFormatVersion);  // zero is not 1
  ExpectError("0882001005188020", Error::kUnsupportedFormatVersion);  // 2, non-minimal
  ExpectError("08ffffffffffffffffff01", Error::kUnsupportedFormatVersion);  // 10 bytes
  // A value of 2^32 + 1 would read as 1 in a uint32 field; it is not 1.
  ExpectError("0881808080101005188020", Error::kUnsupportedFormatVersion);
  // Over 64 bits, yet its low 64 bits are 1.
  ExpectError("0881808080808080808002", Error::kUnsupportedFormatVersion);
  // Whatever follows: a newer format may have other fields.
  ExpectError("0802", Error::kUnsupportedFormatVersion);
  ExpectError("0802ffff", Error::kUnsupportedFormatVersion);
}

TEST(EnvelopeHeaderTest, FormatCheckNeedsAVarintEndingWithinTheHeader) {
  ExpectError("0882", Error::kMalformedEnvelope);  // varint cut by the end of the header
  // 11-byte varint: not "at most 10 bytes", so step 3 does not apply.
  ExpectError("088280808080808080808000", Error::kMalformedEnvelope);
  ExpectError("0a01", Error::kMalformedEnvelope);  // field 1 with the wrong wire type
}

TEST(EnvelopeHeaderTest, NonCanonicalEncodingsAreMalformed) {
  const char* kCases[] = {
      "",                          // empty
      "0801",                      // fields missing
      "080110051880",              // truncated varint
      "0801100518802000",          // trailing byte
      "08011005188020200a",        // unknown field 4
      "08011005188020f80101",      // unknown field 31
      "08011880201005",            // fields out of order
      "10050801188020",            // format not first
      "0801100510051880 20",       // repeated field (space removed below)
      "080118802010051880 20",     // repeated, out of order
      "0801108500188020",          // over-long varint: 5 as 85 00
      "080110051880a000",          // over-long varint: 4096 as 80 a0 00
      "08011000188020",            // zero bundle version
      "080110051800",              // zero padded length
      "0801120105188020",          // field 2 as length-delimited
      "080110051d00100000",        // field 3 as fixed32
      "080110ffffffffffffffffff02188020",  // bundle version over 64 bits
  };
  for (const char* raw : kCases) {
    std::string hex(raw);
    std::erase(hex, ' ');
    ExpectError(hex, Error::kMalformedEnvelope);
  }
}

TEST(EnvelopeHeaderTest, AcceptsLargeValues) {
  auto parsed = ParseHex("080110ffffffffffffffffff01188020");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().key_bundle_version, ~std::uint64_t{0});
}

// CanonicalBySchema is section 3.1's second definition: the bytes parse as an
// EnvelopeHeader with no unknown field, all three fields are non-zero, and
// the deterministic serialization is the same bytes.
bool CanonicalBySchema(const std::vector<std::uint8_t>& bytes) {
  v1::EnvelopeHeader message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  if (HasUnknownFields(message) || message.format_version() == 0 ||
      message.key_bundle_version() == 0 || message.padded_plaintext_length() == 0) {
    return false;
  }
  std::string serialized;
  message.SerializeToString(&serialized);
  return serialized == std::string(bytes.begin(), bytes.end());
}

TEST(EnvelopeHeaderTest, AgreesWithTheSchemaDefinitionOnMutatedHeaders) {
  amparo::test::DeterministicRandom random(41);
  const auto byte = [&random]() {
    std::uint8_t b = 0;
    random.Fill(std::span(&b, 1));
    return b;
  };
  const std::vector<std::vector<std::uint8_t>> seeds = {
      FromHex("08011005188020"), FromHex("080110ffffffffffffffffff01188020"),
      FromHex("0801108001188080f801"), FromHex("08021005188020")};
  int accepted = 0;
  for (int round = 0; round < 200000; ++round) {
    std::vector<std::uint8_t> bytes = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int edits = 1 + byte() % 3;
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = bytes.empty() ? 0 : byte() % bytes.size();
      switch (byte() % 4) {
        case 0:
          if (!bytes.empty()) bytes[at] = byte();
          break;
        case 1:
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), byte());
          break;
        case 2:
          if (!bytes.empty()) bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
          break;
        default:
          if (!bytes.empty()) bytes[at] = static_cast<std::uint8_t>(bytes[at] ^ (1 << (byte() % 8)));
      }
    }
    const auto ours = ParseEnvelopeHeader(bytes);
    const bool by_schema = CanonicalBySchema(bytes);
    if (ours.ok()) {
      ++accepted;
      ASSERT_TRUE(by_schema) << amparo::test::ToHex(bytes);
    } else if (ours.error() == Error::kMalformedEnvelope) {
      ASSERT_FALSE(by_schema) << amparo::test::ToHex(bytes);
    } else {
      ASSERT_EQ(ours.error(), Error::kUnsupportedFormatVersion);
    }
    if (by_schema && !ours.ok()) {
      // Only another format version may be canonical and still refused.
      v1::EnvelopeHeader message;
      ASSERT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
      EXPECT_NE(message.format_version(), 1u) << amparo::test::ToHex(bytes);
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace amparo::protocol
