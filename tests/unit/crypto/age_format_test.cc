// age_format_test.cc: the age header parser accepts exactly the canonical
// encoding, every header bound holds at N and N+1, ReadHeader stops at the MAC
// line, and the key derivations and chunk nonces match independent values.

#include "crypto/age_format.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/base64.h"
#include "tests/support/byte_streams.h"
#include "tests/support/hex.h"

namespace amparo::crypto::age {
namespace {

using test::PatternBytes;
using test::ToHex;

std::array<std::uint8_t, kMacSize> TestMac() {
  std::array<std::uint8_t, kMacSize> mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = static_cast<std::uint8_t>(0xa0 + i);
  return mac;
}

// MacLineRest is what follows "---" on the MAC line.
std::string MacLineRest(std::span<const std::uint8_t> mac) {
  return " " + EncodeBase64(mac, Base64Padding::kNone) + "\n";
}

// EncodeHeader is a complete header with a fixed, unverified MAC.
std::string EncodeHeader(const std::vector<Stanza>& stanzas) {
  return EncodeHeaderMacInput(stanzas) + MacLineRest(TestMac());
}

Stanza X25519LikeStanza(std::uint8_t seed) {
  const std::vector<std::uint8_t> share(32, seed);
  return Stanza{{"X25519", EncodeBase64(share, Base64Padding::kNone)}, PatternBytes(32)};
}

Result<Header> Parse(std::string_view text) { return ParseHeader(AsBytes(text)); }

void ExpectHeaderError(std::string_view text) {
  auto header = Parse(text);
  ASSERT_FALSE(header.ok()) << text;
  EXPECT_EQ(header.error(), Error::kHeader) << text;
}

// HeaderOfSize returns a valid header of exactly `total` bytes: a grease
// stanza with a large body, and an argument that takes up the remainder.
std::string HeaderOfSize(std::size_t total) {
  Stanza grease{{"grease", "x"}, PatternBytes(45000)};
  const std::size_t base = EncodeHeader({grease}).size();
  if (total < base) std::abort();
  grease.args[1].append(total - base, 'x');
  return EncodeHeader({grease});
}

FileKey TestFileKey() {
  FileKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<std::uint8_t>(i);
  return key;
}

TEST(ParseHeaderTest, RoundTripsEncodedHeader) {
  const std::vector<Stanza> stanzas = {
      X25519LikeStanza(1),
      Stanza{{"grease-1", "a", "b=c", "!#$%"}, {}},
      Stanza{{"scrypt", "c2FsdA", "18"}, PatternBytes(48)},
      Stanza{{"long"}, PatternBytes(100)},
  };
  const std::string mac_input = EncodeHeaderMacInput(stanzas);
  const std::string encoded = mac_input + MacLineRest(TestMac());
  auto header = Parse(encoded);
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(header.value().stanzas.size(), stanzas.size());
  for (std::size_t i = 0; i < stanzas.size(); ++i) {
    EXPECT_EQ(header.value().stanzas[i].args, stanzas[i].args) << i;
    EXPECT_EQ(header.value().stanzas[i].body, stanzas[i].body) << i;
  }
  EXPECT_EQ(header.value().mac, TestMac());
  EXPECT_EQ(header.value().mac_input_size, mac_input.size());
}

TEST(ParseHeaderTest, MacInputSizePointsJustAfterDashes) {
  const std::string encoded = EncodeHeader({X25519LikeStanza(2)});
  auto header = Parse(encoded);
  ASSERT_TRUE(header.ok());
  const std::size_t size = header.value().mac_input_size;
  ASSERT_GE(size, 3u);
  ASSERT_LT(size, encoded.size());
  EXPECT_EQ(encoded.substr(size - 3, 3), "---");
  EXPECT_EQ(encoded[size], ' ');
  EXPECT_EQ(encoded[size - 4], '\n');
}

TEST(ParseHeaderTest, StartsWithVersionLine) {
  const std::string mac_input = EncodeHeaderMacInput(std::vector<Stanza>{X25519LikeStanza(3)});
  EXPECT_EQ(mac_input.substr(0, 22), "age-encryption.org/v1\n");
  EXPECT_EQ(mac_input.substr(22, 10), "-> X25519 ");
  EXPECT_EQ(mac_input.substr(mac_input.size() - 4), "\n---");
}

TEST(EncodeStanzaTest, FortyEightByteBodyEndsWithEmptyLine) {
  const Stanza stanza{{"t"}, PatternBytes(48)};
  const std::string body = EncodeBase64(stanza.body, Base64Padding::kNone);
  ASSERT_EQ(body.size(), 64u);
  EXPECT_EQ(EncodeStanza(stanza), "-> t\n" + body + "\n\n");
  auto header = Parse(EncodeHeader({stanza}));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().stanzas[0].body, stanza.body);
}

TEST(EncodeStanzaTest, EmptyBodyIsOneEmptyLine) {
  EXPECT_EQ(EncodeStanza(Stanza{{"a", "b"}, {}}), "-> a b\n\n");
}

TEST(EncodeStanzaTest, LongBodyWrapsAt64Columns) {
  const std::string text = EncodeStanza(Stanza{{"t"}, PatternBytes(100)});
  // 100 bytes are 134 characters: two full lines and one of six.
  const std::string body = EncodeBase64(PatternBytes(100), Base64Padding::kNone);
  EXPECT_EQ(text, "-> t\n" + body.substr(0, 64) + "\n" + body.substr(64, 64) + "\n" +
                      body.substr(128) + "\n");
}

TEST(ParseHeaderTest, BodyLineOf64ColumnsContinuesAnd65IsRejected) {
  // Both bodies are 68 valid Base64 characters (51 bytes); only the split
  // differs, so only the column limit can reject the second.
  const std::string at_limit = std::string(kStanzaLineColumns, 'A') + "\nAAAA\n";
  const std::string over_limit = std::string(kStanzaLineColumns + 1, 'A') + "\nAAA\n";
  const std::string prefix = "age-encryption.org/v1\n-> t\n";
  const std::string mac = "---" + MacLineRest(TestMac());
  auto ok = Parse(prefix + at_limit + mac);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().stanzas[0].body, std::vector<std::uint8_t>(51, 0));
  ExpectHeaderError(prefix + over_limit + mac);
}

TEST(ParseHeaderTest, FullBodyLineMustBeFollowedByFinalLine) {
  const std::string full = EncodeBase64(PatternBytes(48), Base64Padding::kNone);
  ExpectHeaderError("age-encryption.org/v1\n-> t\n" + full + "\n---" + MacLineRest(TestMac()));
}

TEST(ParseHeaderTest, ShortBodyLineEndsTheBody) {
  ExpectHeaderError("age-encryption.org/v1\n-> t\nAAAA\nAAAA\n---" + MacLineRest(TestMac()));
}

TEST(ParseHeaderTest, RejectsNonCanonicalBody) {
  ExpectHeaderError("age-encryption.org/v1\n-> t\nAR\n---" + MacLineRest(TestMac()));
  ExpectHeaderError("age-encryption.org/v1\n-> t\nAQ==\n---" + MacLineRest(TestMac()));
  ExpectHeaderError("age-encryption.org/v1\n-> t\nA\n---" + MacLineRest(TestMac()));
}

TEST(ParseHeaderTest, RejectsTrailingBytesAfterMacLine) {
  const std::string encoded = EncodeHeader({X25519LikeStanza(4)});
  ASSERT_TRUE(Parse(encoded).ok());
  ExpectHeaderError(encoded + "x");
  ExpectHeaderError(encoded + "\n");
}

TEST(ParseHeaderTest, RejectsHeaderWithoutStanzas) {
  ExpectHeaderError(EncodeHeader({}));
}

TEST(ParseHeaderTest, AcceptsMaxAgeStanzas) {
  std::vector<Stanza> stanzas(limits::kMaxAgeStanzas, X25519LikeStanza(5));
  auto header = Parse(EncodeHeader(stanzas));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().stanzas.size(), limits::kMaxAgeStanzas);
}

TEST(ParseHeaderTest, RejectsMaxAgeStanzasPlusOne) {
  std::vector<Stanza> stanzas(limits::kMaxAgeStanzas + 1, X25519LikeStanza(5));
  ExpectHeaderError(EncodeHeader(stanzas));
}

TEST(ParseHeaderTest, AcceptsMaxStanzaArguments) {
  Stanza stanza{{"type"}, {}};
  while (stanza.args.size() < limits::kMaxStanzaArguments) {
    stanza.args.push_back("a" + std::to_string(stanza.args.size()));
  }
  auto header = Parse(EncodeHeader({stanza}));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().stanzas[0].args, stanza.args);
}

TEST(ParseHeaderTest, RejectsMaxStanzaArgumentsPlusOne) {
  Stanza stanza{{"type"}, {}};
  while (stanza.args.size() < limits::kMaxStanzaArguments + 1) {
    stanza.args.push_back("a" + std::to_string(stanza.args.size()));
  }
  ExpectHeaderError(EncodeHeader({stanza}));
}

TEST(ParseHeaderTest, RejectsMalformedArgumentLines) {
  const std::string mac = "\n---" + MacLineRest(TestMac());
  for (std::string line : {"-> X25519  abc\n", "-> X25519 abc \n", "->  X25519\n", "-> \n",
                           "->\n", "-> X25519\tabc\n", "-> X\x7f\n", "-> X\x80\n", "X25519\n",
                           "-> X25519\r\n"}) {
    ExpectHeaderError("age-encryption.org/v1\n" + line + mac);
  }
}

TEST(ParseHeaderTest, RejectsWrongVersionLine) {
  const std::string rest = "-> t\n\n---" + MacLineRest(TestMac());
  for (std::string version : {"age-encryption.org/v2\n", "age-encryption.org/v1 \n",
                              "age-encryption.org/v1\r\n", "age-encryption.org/v\n", "\n", ""}) {
    ExpectHeaderError(version + rest);
  }
  ASSERT_TRUE(Parse("age-encryption.org/v1\n" + rest).ok());
}

TEST(ParseHeaderTest, RejectsMalformedMacLine) {
  const std::string prefix = "age-encryption.org/v1\n-> t\n\n";
  const std::string mac = EncodeBase64(TestMac(), Base64Padding::kNone);
  ASSERT_EQ(mac.size(), 43u);
  ASSERT_TRUE(Parse(prefix + "--- " + mac + "\n").ok());
  std::string non_canonical = mac;
  non_canonical.back() = non_canonical.back() == 'A' ? 'B' : static_cast<char>(non_canonical.back() + 1);
  for (const std::string& line :
       {std::string("---\n"), "--- " + mac, "---" + mac + "\n", "---  " + mac + "\n",
        "--- " + mac.substr(1) + "\n", "--- " + mac + "A\n", "--- " + mac + "\r\n",
        "--- " + mac + "=\n", "--- " + non_canonical + "\n", "---- " + mac.substr(1) + "\n"}) {
    ExpectHeaderError(prefix + line);
  }
}

TEST(ParseHeaderTest, RejectsEmptyInputAndTruncation) {
  const std::string encoded = EncodeHeader({X25519LikeStanza(6)});
  ExpectHeaderError("");
  for (std::size_t cut = 1; cut < encoded.size(); cut += 7) {
    ExpectHeaderError(encoded.substr(0, cut));
  }
  ExpectHeaderError(encoded.substr(0, encoded.size() - 1));
}

TEST(ReadHeaderTest, AcceptsHeaderOfExactlyMaxAgeHeaderBytes) {
  const std::string header = HeaderOfSize(limits::kMaxAgeHeaderBytes);
  ASSERT_EQ(header.size(), limits::kMaxAgeHeaderBytes);
  const std::string file = header + "payload";
  SpanSource source(AsBytes(file));
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(AsText(raw.value().encoded), header);
  EXPECT_TRUE(ParseHeader(raw.value().encoded).ok());
}

TEST(ReadHeaderTest, RejectsHeaderOfMaxAgeHeaderBytesPlusOne) {
  const std::string header = HeaderOfSize(limits::kMaxAgeHeaderBytes + 1);
  ASSERT_EQ(header.size(), limits::kMaxAgeHeaderBytes + 1);
  ASSERT_TRUE(Parse(header).ok());
  SpanSource source(AsBytes(header));
  auto raw = ReadHeader(source);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kHeader);
}

TEST(ReadHeaderTest, CannotRaiseLimitPastCompiledCeiling) {
  const std::string header = HeaderOfSize(limits::kMaxAgeHeaderBytes + 1);
  SpanSource source(AsBytes(header));
  auto raw = ReadHeader(source, limits::kMaxAgeHeaderBytes + 100);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kHeader);
}

TEST(ReadHeaderTest, LowerLimitHoldsAtNAndNPlusOne) {
  const std::string header = EncodeHeader({X25519LikeStanza(7)});
  SpanSource exact(AsBytes(header));
  EXPECT_TRUE(ReadHeader(exact, header.size()).ok());
  SpanSource short_by_one(AsBytes(header));
  auto raw = ReadHeader(short_by_one, header.size() - 1);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kHeader);
}

TEST(ReadHeaderTest, ReturnsBytesReadPastMacLineAsLeftover) {
  const std::string header = EncodeHeader({X25519LikeStanza(8)});
  const std::string file = header + "PAYLOAD";
  SpanSource source(AsBytes(file));
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(AsText(raw.value().encoded), header);
  EXPECT_EQ(AsText(raw.value().leftover), "PAYLOAD");
}

TEST(ReadHeaderTest, OneByteReadsStopRightAfterMacLine) {
  const std::string header = EncodeHeader({X25519LikeStanza(9)});
  const std::string file = header + "PAYLOAD";
  test::TrickleSource source(AsBytes(file), 1);
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(AsText(raw.value().encoded), header);
  auto rest = test::Drain(source);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(std::string(AsText(raw.value().leftover)) + std::string(AsText(rest.value())),
            "PAYLOAD");
}

TEST(ReadHeaderTest, StopsAtFirstLineStartingWithDashes) {
  const std::string file = "age-encryption.org/v1\n-> t\n\n---x\nmore";
  SpanSource source(AsBytes(file));
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(AsText(raw.value().encoded), "age-encryption.org/v1\n-> t\n\n---x\n");
  EXPECT_EQ(AsText(raw.value().leftover), "more");
}

TEST(ReadHeaderTest, EndOfInputBeforeMacLineIsHeaderError) {
  for (std::string file : {"", "age-encryption.org/v1\n-> t\n\n", "age-encryption.org/v1\n-> t\n\n---"}) {
    SpanSource source(AsBytes(file));
    auto raw = ReadHeader(source);
    ASSERT_FALSE(raw.ok()) << file;
    EXPECT_EQ(raw.error(), Error::kHeader);
  }
}

TEST(ReadHeaderTest, PassesSourceErrorThrough) {
  test::FailingSource source(10);
  auto raw = ReadHeader(source);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kIo);
}

TEST(ChunkNonceTest, LaysOutElevenByteBigEndianCounterAndFinalFlag) {
  EXPECT_EQ(ToHex(ChunkNonce(0, false)), "000000000000000000000000");
  EXPECT_EQ(ToHex(ChunkNonce(0, true)), "000000000000000000000001");
  EXPECT_EQ(ToHex(ChunkNonce(1, false)), "000000000000000000000100");
  EXPECT_EQ(ToHex(ChunkNonce(2, true)), "000000000000000000000201");
  EXPECT_EQ(ToHex(ChunkNonce(std::uint64_t{1} << 40, false)), "000000000001000000000000");
  EXPECT_EQ(ToHex(ChunkNonce(0x0102030405060708, true)), "000000010203040506070801");
  EXPECT_EQ(ToHex(ChunkNonce(~std::uint64_t{0}, false)), "000000ffffffffffffffff00");
}

// The expected values below come from an independent HKDF, HMAC and scrypt
// implementation: tests/support/known_answers.py.
TEST(HeaderMacTest, MatchesIndependentComputation) {
  const auto mac = HeaderMac(TestFileKey(), AsBytes("age-encryption.org/v1\n-> X25519 abc\nAAAA\n---"));
  EXPECT_EQ(ToHex(mac), "cf36222fb5ada90710a9e33dd54010b66753884985aa99555fca3f6541f623ec");
}

TEST(HeaderMacTest, DependsOnEveryInputByte) {
  const std::string input = "age-encryption.org/v1\n-> X25519 abc\nAAAA\n---";
  const auto reference = HeaderMac(TestFileKey(), AsBytes(input));
  EXPECT_NE(HeaderMac(TestFileKey(), AsBytes(input + " ")), reference);
  EXPECT_NE(HeaderMac(TestFileKey(), AsBytes(input.substr(0, input.size() - 1))), reference);
}

TEST(PayloadKeyTest, MatchesIndependentComputation) {
  std::array<std::uint8_t, kPayloadNonceSize> nonce{};
  for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(16 + i);
  EXPECT_EQ(ToHex(PayloadKey(TestFileKey(), nonce).span()),
            "a9b6b2f491423ef997e866099d8ab29f171b0374a41426b361d50625ffa8044b");
}

TEST(X25519WrapKeyTest, MatchesIndependentComputation) {
  std::array<std::uint8_t, 32> shared{};
  std::array<std::uint8_t, 32> share{};
  std::array<std::uint8_t, 32> recipient{};
  shared.fill(0x01);
  share.fill(0x02);
  recipient.fill(0x03);
  EXPECT_EQ(ToHex(X25519WrapKey(shared, share, recipient).span()),
            "5e4c455bfda63c92ef1ceec6902d6b24b274b7638959d11040df97f303638d07");
  EXPECT_NE(ToHex(X25519WrapKey(shared, recipient, share).span()),
            "5e4c455bfda63c92ef1ceec6902d6b24b274b7638959d11040df97f303638d07");
}

TEST(ScryptWrapKeyTest, MatchesIndependentComputation) {
  std::array<std::uint8_t, 16> salt{};
  for (std::size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<std::uint8_t>(i);
  auto key = ScryptWrapKey(AsBytes("password"), salt, 10);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(ToHex(key.value().span()),
            "844bfe196f2b9c122fa8660abfcc8db027b48a2cf324485c19e5ed8c5228291b");
}

TEST(ScryptWrapKeyTest, RejectsWorkFactorOutsideOneToMax) {
  std::array<std::uint8_t, 16> salt{};
  for (int log_n : {0, -1, limits::kMaxScryptLogN + 1, 64}) {
    auto key = ScryptWrapKey(AsBytes("password"), salt, log_n);
    ASSERT_FALSE(key.ok()) << log_n;
    EXPECT_EQ(key.error(), Error::kInvalidArgument);
  }
  EXPECT_TRUE(ScryptWrapKey(AsBytes("password"), salt, 1).ok());
}

}  // namespace
}  // namespace amparo::crypto::age
