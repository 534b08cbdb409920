// envelope_validator_test.cc: every rejection of ENVELOPE.md section 8 with a
// crafted input, each limit at N and N + 1, and the order of the checks:
// for bytes that break two rules, the earlier step decides the error.

#include "protocol/envelope_validator.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <limits>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/age_format.h"
#include "crypto/base64.h"
#include "protocol/envelope_format.h"
#include "tests/support/hex.h"
#include "tests/unit/protocol/protocol_test_support.h"

namespace amparo::protocol {
namespace {

using amparo::test::FromHex;
using test::AgeHeaderOf;
using test::Frame;
using test::HeaderBytes;
using test::SealedTestEnvelope;

const AcceptancePolicy kDefaultPolicy{};

Error ErrorOf(std::span<const std::uint8_t> whole, const AcceptancePolicy& policy = kDefaultPolicy) {
  auto result = ValidateEnvelope(whole, policy);
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

Error HeadErrorOf(std::span<const std::uint8_t> head, std::optional<std::uint64_t> declared,
                  const AcceptancePolicy& policy = kDefaultPolicy) {
  auto result = ValidateEnvelopeHead(head, policy, declared);
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

class EnvelopeValidatorTest : public ::testing::Test {
 protected:
  // A real age header from a sealed envelope: the validator never opens it.
  const std::vector<std::uint8_t> age_header_ = AgeHeaderOf(SealedTestEnvelope());

  std::vector<std::uint8_t> Envelope(std::uint64_t bundle_version = 5,
                                     std::uint64_t padded = 4096) const {
    return Frame(HeaderBytes(bundle_version, padded), age_header_, padded);
  }

  // WithAgeHeader replaces the age header by `text`, which may be of any length.
  std::vector<std::uint8_t> WithAgeHeader(std::string_view text) const {
    const auto bytes = AsBytes(text);
    return Frame(HeaderBytes(5, 4096), bytes, ExpectedPayloadLength(4096), 7);
  }

  std::string AgeText() const { return std::string(AsText(age_header_)); }
};

TEST_F(EnvelopeValidatorTest, AcceptsASealedEnvelopeAndReportsItsHead) {
  const auto envelope = SealedTestEnvelope();
  auto head = ValidateEnvelope(envelope, kDefaultPolicy);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head.value().format_version, 1u);
  EXPECT_EQ(head.value().key_bundle_version, 5u);
  EXPECT_EQ(head.value().padded_length, 4096u);
  EXPECT_EQ(head.value().head_length, 6u + 7 + 854);
  EXPECT_EQ(head.value().total_length, 4995u);
  EXPECT_EQ(envelope.size(), 4995u);
}

TEST_F(EnvelopeValidatorTest, HeadNeedsExactlyHeadLengthBytes) {
  const auto envelope = SealedTestEnvelope();
  const std::size_t head_length = 6 + 7 + 854;
  auto exact = ValidateEnvelopeHead(std::span(envelope).first(head_length), kDefaultPolicy);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact.value().head_length, head_length);
  auto more = ValidateEnvelopeHead(std::span(envelope).first(kMaxEnvelopeHeadBytes), kDefaultPolicy);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more.value().head_length, head_length);
  // One byte short: the stream ended inside the age header.
  EXPECT_EQ(HeadErrorOf(std::span(envelope).first(head_length - 1), std::nullopt),
            Error::kLengthMismatch);
}

TEST_F(EnvelopeValidatorTest, Step1MagicAndShortInput) {
  auto envelope = Envelope();
  for (std::size_t size = 0; size < 6; ++size) {
    EXPECT_EQ(ErrorOf(std::span(envelope).first(size)), Error::kMalformedEnvelope) << size;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    auto bad = envelope;
    bad[i] ^= 0x20;
    EXPECT_EQ(ErrorOf(bad), Error::kMalformedEnvelope);
  }
}

TEST_F(EnvelopeValidatorTest, Step2HeaderLengthAtItsBounds) {
  // L = 0.
  EXPECT_EQ(ErrorOf(Frame({}, age_header_, 0, 0)), Error::kMalformedEnvelope);
  // L = 64 passes step 2: a 64-byte header of format 2 reaches step 3.
  std::vector<std::uint8_t> header64(64, 0);
  header64[0] = 0x08;
  header64[1] = 0x02;
  EXPECT_EQ(ErrorOf(Frame(header64, age_header_, 0, 64)), Error::kUnsupportedFormatVersion);
  // L = 65 fails step 2, whatever follows.
  std::vector<std::uint8_t> header65(65, 0);
  header65[0] = 0x08;
  header65[1] = 0x02;
  EXPECT_EQ(ErrorOf(Frame(header65, age_header_, 0, 65)), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(Frame({}, {}, 0, 0xffff)), Error::kMalformedEnvelope);
  // Fewer than 6 + L bytes.
  const auto header = HeaderBytes(5, 4096);
  EXPECT_EQ(ErrorOf(Frame(std::span(header).first(6), {}, 0, 7)), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, Step3UnsupportedFormatVersion) {
  auto header = HeaderBytes(5, 4096);
  header[1] = 0x02;
  EXPECT_EQ(ErrorOf(Frame(header, age_header_, 4096)), Error::kUnsupportedFormatVersion);
}

TEST_F(EnvelopeValidatorTest, Step4NonCanonicalHeaders) {
  for (const char* hex : {"0801108500188020", "08011880201005", "0801100510051880 20",
                          "08011005188020 2001", "08011000188020", "080110051800",
                          "08011005188020 00"}) {
    std::string clean(hex);
    std::erase(clean, ' ');
    const auto header = FromHex(clean);
    EXPECT_EQ(ErrorOf(Frame(header, age_header_, 4096)), Error::kMalformedEnvelope) << hex;
  }
}

TEST_F(EnvelopeValidatorTest, Step5StaleKeyBundleAtTheBound) {
  AcceptancePolicy policy;
  policy.lowest_accepted_bundle_version = 5;
  EXPECT_TRUE(ValidateEnvelope(Envelope(5), policy).ok());
  EXPECT_TRUE(ValidateEnvelope(Envelope(6), policy).ok());  // newer than known: accepted
  EXPECT_EQ(ErrorOf(Envelope(4), policy), Error::kStaleKeyBundle);
}

TEST_F(EnvelopeValidatorTest, Step6ConfiguredMaximumAtNAndNPlusOne) {
  AcceptancePolicy policy;
  policy.max_padded_length = 8192;
  EXPECT_TRUE(ValidateEnvelope(Envelope(5, 8192), policy).ok());
  EXPECT_EQ(ErrorOf(Envelope(5, 8704), policy), Error::kLimitExceeded);  // the next bucket
}

TEST_F(EnvelopeValidatorTest, Step6CompiledCeilingCannotBeRaised) {
  AcceptancePolicy policy;
  policy.max_padded_length = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t largest = kLargestPaddedBucket;
  const std::uint64_t next = largest + (std::uint64_t{1} << 25);
  const auto head_of = [&](std::uint64_t padded) {
    return Frame(HeaderBytes(5, padded), age_header_, 0, HeaderBytes(5, padded).size());
  };
  // The largest bucket passes steps 6 and 7 (then only the length is wrong).
  auto at = ValidateEnvelopeHead(head_of(largest), policy);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at.value().total_length,
            ExpectedEnvelopeLength(HeaderBytes(5, largest).size(), largest));
  EXPECT_EQ(HeadErrorOf(head_of(next), std::nullopt, policy), Error::kLimitExceeded);
  // The ceiling is itself the largest bucket; one more fails step 6.
  EXPECT_EQ(largest, limits::kMaxPaddedLength);
  EXPECT_EQ(HeadErrorOf(head_of(limits::kMaxPaddedLength + 1), std::nullopt, policy),
            Error::kLimitExceeded);
  EXPECT_EQ(HeadErrorOf(head_of(std::numeric_limits<std::uint64_t>::max()), std::nullopt, policy),
            Error::kLimitExceeded);
}

TEST_F(EnvelopeValidatorTest, Step7PaddedLengthNotABucket) {
  for (std::uint64_t padded : {std::uint64_t{1}, std::uint64_t{2048}, std::uint64_t{4095},
                               std::uint64_t{4097}, std::uint64_t{8191}, std::uint64_t{100000}}) {
    EXPECT_EQ(ErrorOf(Envelope(5, padded)), Error::kPaddedLengthNotBucket) << padded;
  }
}

TEST_F(EnvelopeValidatorTest, DeclaredLengthIsCheckedBeforeTheAgeHeader) {
  const auto envelope = Envelope();
  auto ok = ValidateEnvelopeHead(envelope, kDefaultPolicy, envelope.size());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(HeadErrorOf(envelope, envelope.size() + 1), Error::kLengthMismatch);
  EXPECT_EQ(HeadErrorOf(envelope, envelope.size() - 1), Error::kLengthMismatch);
  // A declared length over the upload ceiling fails first of all (step 0).
  EXPECT_EQ(HeadErrorOf(envelope, limits::kMaxEnvelopeBytes + 1), Error::kLimitExceeded);
  EXPECT_EQ(HeadErrorOf(envelope, limits::kMaxEnvelopeBytes), Error::kLengthMismatch);
}

TEST_F(EnvelopeValidatorTest, Step8StanzaCountSevenEightNine) {
  auto parsed = crypto::age::ParseHeader(age_header_);
  ASSERT_TRUE(parsed.ok());
  const auto& stanzas = parsed.value().stanzas;
  const auto header_with = [&](std::size_t count) {
    std::vector<crypto::age::Stanza> chosen;
    for (std::size_t i = 0; i < count; ++i) chosen.push_back(stanzas[i % stanzas.size()]);
    std::string text = crypto::age::EncodeHeaderMacInput(chosen);
    text += ' ';
    text += crypto::EncodeBase64(parsed.value().mac, crypto::Base64Padding::kNone);
    text += '\n';
    return text;
  };
  EXPECT_TRUE(ValidateEnvelope(WithAgeHeader(header_with(8)), kDefaultPolicy).ok());
  EXPECT_EQ(ErrorOf(WithAgeHeader(header_with(7))), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(WithAgeHeader(header_with(9))), Error::kMalformedEnvelope);
  // Seven stanzas padded to 854 bytes by lengthening the payload instead.
  auto seven = WithAgeHeader(header_with(7));
  seven.resize(seven.size() + 98, 0);
  EXPECT_EQ(ErrorOf(seven), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, Step8StanzaShapes) {
  const std::string text = AgeText();
  const std::size_t first_stanza = 22;
  const auto replaced = [&](std::size_t at, std::string_view with) {
    std::string copy = text;
    copy.replace(at, with.size(), with);
    return copy;
  };
  // Another type of the same length ("grease" or another recipient type).
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(first_stanza + 3, "Y25519"))), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(first_stanza + 3, "x25519"))), Error::kMalformedEnvelope);
  // Version line.
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(0, "age-encryption.org/v2"))), Error::kMalformedEnvelope);
  // CR instead of LF.
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(21, "\r"))), Error::kMalformedEnvelope);
  // Non-canonical base64: the last character of a 32-byte share carries two
  // unused bits; setting one keeps the length.
  const auto with_last_char_bumped = [&](std::size_t last) {
    std::string copy = text;
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // Canonical: the two unused low bits are zero, so this changes them.
    copy[last] = alphabet[alphabet.find(copy[last]) | 1];
    return copy;
  };
  EXPECT_EQ(ErrorOf(WithAgeHeader(with_last_char_bumped(first_stanza + 10 + 42))),
            Error::kMalformedEnvelope);  // share
  EXPECT_EQ(ErrorOf(WithAgeHeader(with_last_char_bumped(first_stanza + 54 + 42))),
            Error::kMalformedEnvelope);  // body
  EXPECT_EQ(ErrorOf(WithAgeHeader(with_last_char_bumped(854 - 2))),
            Error::kMalformedEnvelope);  // MAC
  // MAC line prefix.
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(854 - 48, "-- -"))), Error::kMalformedEnvelope);
  // A character outside the alphabet in a share.
  EXPECT_EQ(ErrorOf(WithAgeHeader(replaced(first_stanza + 12, "*"))), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, Step8StanzaWithOtherArgumentsIsMalformed) {
  auto parsed = crypto::age::ParseHeader(age_header_);
  ASSERT_TRUE(parsed.ok());
  const auto header_with = [&](const crypto::age::Stanza& first) {
    auto stanzas = parsed.value().stanzas;
    stanzas[0] = first;
    std::string text = crypto::age::EncodeHeaderMacInput(stanzas);
    text += ' ';
    text += crypto::EncodeBase64(parsed.value().mac, crypto::Base64Padding::kNone);
    text += '\n';
    return text;
  };
  crypto::age::Stanza extra = parsed.value().stanzas[0];
  extra.args.push_back("x");
  crypto::age::Stanza short_body = parsed.value().stanzas[0];
  short_body.body.pop_back();
  crypto::age::Stanza long_share = parsed.value().stanzas[0];
  long_share.args[1] += "A";
  crypto::age::Stanza scrypt;
  scrypt.args = {"scrypt", "AAAAAAAAAAAAAAAAAAAAAA", "18"};
  scrypt.body.assign(32, 7);
  for (const auto& stanza : {extra, short_body, long_share, scrypt}) {
    EXPECT_EQ(ErrorOf(WithAgeHeader(header_with(stanza))), Error::kMalformedEnvelope);
  }
}

TEST_F(EnvelopeValidatorTest, Step9TotalLength) {
  auto envelope = SealedTestEnvelope();
  envelope.push_back(0);
  EXPECT_EQ(ErrorOf(envelope), Error::kLengthMismatch);
  envelope.resize(envelope.size() - 2);
  EXPECT_EQ(ErrorOf(envelope), Error::kLengthMismatch);
  // Cut right after the age header: no payload at all.
  envelope.resize(6 + 7 + 854);
  EXPECT_EQ(ErrorOf(envelope), Error::kLengthMismatch);
}

TEST_F(EnvelopeValidatorTest, WholeEnvelopeUploadCeilingAtNAndNPlusOne) {
  // Address space only: the pages stay untouched but the first one.
  const std::size_t size = static_cast<std::size_t>(limits::kMaxEnvelopeBytes) + 1;
  void* region = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  const std::span<const std::uint8_t> all(static_cast<const std::uint8_t*>(region), size);
  EXPECT_EQ(ErrorOf(all), Error::kLimitExceeded);
  EXPECT_EQ(ErrorOf(all.first(size - 1)), Error::kMalformedEnvelope);  // zeros: no magic
  munmap(region, size);
}

// Check order: for bytes that break rules k and k + 1, step k decides.
TEST_F(EnvelopeValidatorTest, OrderDeclaredCeilingBeforeMagic) {
  const std::vector<std::uint8_t> junk = {'X'};
  EXPECT_EQ(HeadErrorOf(junk, limits::kMaxEnvelopeBytes + 1), Error::kLimitExceeded);
}

TEST_F(EnvelopeValidatorTest, OrderHeaderLengthBeforeFormatVersion) {
  std::vector<std::uint8_t> header(65, 0);
  header[0] = 0x08;
  header[1] = 0x02;
  EXPECT_EQ(ErrorOf(Frame(header, age_header_, 0, 65)), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, OrderFormatVersionBeforeCanonicalForm) {
  EXPECT_EQ(ErrorOf(Frame(FromHex("08021005188020200a"), age_header_, 4096)),
            Error::kUnsupportedFormatVersion);
  EXPECT_EQ(ErrorOf(Frame(FromHex("088200"), age_header_, 4096)),
            Error::kUnsupportedFormatVersion);
}

TEST_F(EnvelopeValidatorTest, OrderCanonicalFormBeforeStaleBundle) {
  AcceptancePolicy policy;
  policy.lowest_accepted_bundle_version = 9;
  EXPECT_EQ(ErrorOf(Frame(FromHex("0801108500188020"), age_header_, 4096), policy),
            Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, OrderStaleBundleBeforeLimit) {
  AcceptancePolicy policy;
  policy.lowest_accepted_bundle_version = 9;
  policy.max_padded_length = 4096;
  EXPECT_EQ(ErrorOf(Envelope(5, 8192), policy), Error::kStaleKeyBundle);
}

TEST_F(EnvelopeValidatorTest, OrderLimitBeforeBucket) {
  AcceptancePolicy policy;
  policy.max_padded_length = 4096;
  EXPECT_EQ(ErrorOf(Envelope(5, 5000), policy), Error::kLimitExceeded);
}

TEST_F(EnvelopeValidatorTest, OrderBucketBeforeLength) {
  auto envelope = Envelope(5, 4097);
  envelope.push_back(0);
  EXPECT_EQ(ErrorOf(envelope), Error::kPaddedLengthNotBucket);
  EXPECT_EQ(HeadErrorOf(envelope, 1), Error::kPaddedLengthNotBucket);
}

TEST_F(EnvelopeValidatorTest, OrderDeclaredLengthBeforeAgeHeader) {
  std::string text = AgeText();
  text[0] = 'X';
  const auto envelope = WithAgeHeader(text);
  EXPECT_EQ(HeadErrorOf(envelope, envelope.size() + 1), Error::kLengthMismatch);
  EXPECT_EQ(HeadErrorOf(envelope, envelope.size()), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, OrderAgeHeaderBeforeTotalLength) {
  std::string text = AgeText();
  text[0] = 'X';
  auto envelope = WithAgeHeader(text);
  envelope.push_back(0);
  EXPECT_EQ(ErrorOf(envelope), Error::kMalformedEnvelope);
}

TEST_F(EnvelopeValidatorTest, StreamEndingInsideTheAgeHeaderIsALengthMismatch) {
  const auto envelope = Envelope();
  for (std::size_t cut : {std::size_t{13}, std::size_t{14}, std::size_t{400}, std::size_t{866}}) {
    EXPECT_EQ(ErrorOf(std::span(envelope).first(cut)), Error::kLengthMismatch) << cut;
  }
}

TEST_F(EnvelopeValidatorTest, ErrorsAreFixedValues) {
  // Two different malformations give the same, contentless error.
  auto first = Envelope();
  first[0] = 'B';
  auto second = Envelope();
  second[4] = 0;
  second[5] = 0;
  EXPECT_EQ(ErrorOf(first), ErrorOf(second));
  EXPECT_EQ(ErrorName(ErrorOf(first)), "malformed envelope");
}

}  // namespace
}  // namespace amparo::protocol
