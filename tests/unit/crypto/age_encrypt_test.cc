// age_encrypt_test.cc: Encrypt writes one header stanza per recipient and a
// payload of exactly the STREAM size, reproducibly for a given random stream
// and whatever the read sizes; it refuses empty, oversized or mixed scrypt
// recipient lists and passes I/O failures through.

#include "crypto/age_encrypt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/identities.h"
#include "tests/support/byte_streams.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/secret_text.h"

namespace amparo::crypto::age {
namespace {

using test::DeterministicRandom;
using test::PatternBytes;

constexpr std::size_t kChunk = kChunkSize;

X25519PublicKey TestKey(std::uint64_t seed) {
  DeterministicRandom random(seed);
  return X25519Identity::Generate(random).PublicKey();
}

Result<std::vector<std::uint8_t>> Seal(std::span<const Recipient* const> recipients,
                                       std::span<const std::uint8_t> plaintext,
                                       std::uint64_t seed) {
  DeterministicRandom random(seed);
  SpanSource source(plaintext);
  VectorSink out;
  const Status status = Encrypt(recipients, source, out, random);
  if (!status.ok()) return status.error();
  return out.bytes();
}

std::size_t HeaderSize(const std::vector<std::uint8_t>& file) {
  SpanSource source(file);
  auto raw = ReadHeader(source);
  return raw.ok() ? raw.value().encoded.size() : 0;
}

class AgeEncryptTest : public ::testing::Test {
 protected:
  X25519Recipient alice_{TestKey(1)};
  X25519Recipient bob_{TestKey(2)};
};

TEST_F(AgeEncryptTest, PayloadHasNonceAndOneTagPerChunk) {
  const Recipient* recipients[] = {&alice_};
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1,
                           16 * kChunk, 16 * kChunk + 1, 33 * kChunk + 5}) {
    auto file = Seal(recipients, PatternBytes(size), 3);
    ASSERT_TRUE(file.ok()) << size;
    const std::size_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
    const std::size_t header = HeaderSize(file.value());
    ASSERT_GT(header, 0u) << size;
    EXPECT_EQ(file.value().size(), header + kPayloadNonceSize + size + chunks * kTagSize) << size;
  }
}

TEST_F(AgeEncryptTest, HeaderHasOneX25519StanzaPerRecipientAndVerifiesUnderFileKey) {
  const Recipient* recipients[] = {&alice_, &bob_, &alice_};
  auto file = Seal(recipients, PatternBytes(10), 4);
  ASSERT_TRUE(file.ok());
  const std::string_view text = AsText(file.value());
  EXPECT_EQ(text.substr(0, 22), "age-encryption.org/v1\n");
  SpanSource source(file.value());
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  auto header = ParseHeader(raw.value().encoded);
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(header.value().stanzas.size(), 3u);
  for (const Stanza& stanza : header.value().stanzas) {
    EXPECT_EQ(stanza.args.size(), 2u);
    EXPECT_EQ(stanza.args[0], "X25519");
    EXPECT_EQ(stanza.body.size(), kWrappedFileKeySize);
  }
  // The file key is the first 16 bytes of the random stream.
  DeterministicRandom replay(4);
  FileKey file_key;
  replay.Fill(file_key.span());
  const auto expected =
      HeaderMac(file_key, std::span(raw.value().encoded).first(header.value().mac_input_size));
  EXPECT_EQ(expected, header.value().mac);
}

TEST_F(AgeEncryptTest, SameSeedGivesIdenticalOutput) {
  const Recipient* recipients[] = {&alice_, &bob_};
  const auto plaintext = PatternBytes(3 * kChunk + 7);
  auto first = Seal(recipients, plaintext, 5);
  auto second = Seal(recipients, plaintext, 5);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first.value(), second.value());
  auto other_seed = Seal(recipients, plaintext, 6);
  ASSERT_TRUE(other_seed.ok());
  EXPECT_NE(first.value(), other_seed.value());
}

TEST_F(AgeEncryptTest, OutputDoesNotDependOnReadSizes) {
  const Recipient* recipients[] = {&alice_};
  const auto plaintext = PatternBytes(17 * kChunk + 3);
  auto whole = Seal(recipients, plaintext, 7);
  ASSERT_TRUE(whole.ok());
  DeterministicRandom random(7);
  test::TrickleSource trickle(plaintext, 4093);
  VectorSink out;
  ASSERT_TRUE(Encrypt(recipients, trickle, out, random).ok());
  EXPECT_EQ(out.bytes(), whole.value());
}

TEST_F(AgeEncryptTest, RefusesZeroRecipients) {
  auto file = Seal({}, PatternBytes(10), 8);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error(), Error::kInvalidArgument);
}

TEST_F(AgeEncryptTest, AcceptsMaxAgeStanzasRecipients) {
  std::vector<const Recipient*> recipients(limits::kMaxAgeStanzas, &alice_);
  auto file = Seal(recipients, PatternBytes(10), 9);
  ASSERT_TRUE(file.ok());
  SpanSource source(file.value());
  auto raw = ReadHeader(source);
  ASSERT_TRUE(raw.ok());
  auto header = ParseHeader(raw.value().encoded);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().stanzas.size(), limits::kMaxAgeStanzas);
}

TEST_F(AgeEncryptTest, RefusesMaxAgeStanzasPlusOneRecipients) {
  std::vector<const Recipient*> recipients(limits::kMaxAgeStanzas + 1, &alice_);
  auto file = Seal(recipients, PatternBytes(10), 10);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error(), Error::kInvalidArgument);
}

TEST_F(AgeEncryptTest, ScryptRecipientAloneIsAccepted) {
  const ScryptRecipient scrypt(test::SecretText("pass"), 10);
  const Recipient* recipients[] = {&scrypt};
  auto file = Seal(recipients, PatternBytes(10), 11);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(AsText(file.value()).substr(22, 10), "-> scrypt ");
}

TEST_F(AgeEncryptTest, RefusesScryptRecipientMixedWithOthers) {
  const ScryptRecipient scrypt(test::SecretText("pass"), 10);
  const ScryptRecipient second_scrypt(test::SecretText("other"), 10);
  const std::vector<std::vector<const Recipient*>> mixes = {
      {&scrypt, &alice_}, {&alice_, &scrypt}, {&scrypt, &second_scrypt}};
  for (const auto& recipients : mixes) {
    auto file = Seal(recipients, PatternBytes(10), 12);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error(), Error::kInvalidArgument);
  }
}

TEST_F(AgeEncryptTest, PassesRecipientFailureThrough) {
  const X25519Recipient low_order{X25519PublicKey{}};
  const Recipient* recipients[] = {&alice_, &low_order};
  auto file = Seal(recipients, PatternBytes(10), 13);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error(), Error::kInvalidKey);
}

TEST_F(AgeEncryptTest, PassesSourceErrorThrough) {
  const Recipient* recipients[] = {&alice_};
  for (std::size_t good : {std::size_t{0}, 3 * kChunk + 1, 20 * kChunk}) {
    DeterministicRandom random(14);
    test::FailingSource source(good);
    VectorSink out;
    const Status status = Encrypt(recipients, source, out, random);
    ASSERT_FALSE(status.ok()) << good;
    EXPECT_EQ(status.error(), Error::kIo);
  }
}

TEST_F(AgeEncryptTest, PassesSinkErrorThrough) {
  const Recipient* recipients[] = {&alice_};
  const auto plaintext = PatternBytes(20 * kChunk);
  for (std::size_t good : {std::size_t{0}, std::size_t{200}, 5 * kChunk}) {
    DeterministicRandom random(15);
    SpanSource source(plaintext);
    test::FailingSink out(good);
    const Status status = Encrypt(recipients, source, out, random);
    ASSERT_FALSE(status.ok()) << good;
    EXPECT_EQ(status.error(), Error::kIo);
  }
}

}  // namespace
}  // namespace amparo::crypto::age
