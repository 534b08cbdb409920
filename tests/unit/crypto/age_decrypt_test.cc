// age_decrypt_test.cc: Decrypt opens what Encrypt seals for every chunk
// boundary and every recipient, classifies each kind of damage as the CCTV
// classes do, releases only authenticated whole chunks before a payload
// failure, and streams a 64 MiB file with bounded memory.

#include "crypto/age_decrypt.h"

#include <sodium.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/age_encrypt.h"
#include "crypto/armor.h"
#include "crypto/base64.h"
#include "tests/support/byte_streams.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/secret_text.h"

namespace amparo::crypto::age {
namespace {

using test::DeterministicRandom;
using test::PatternBytes;

constexpr std::size_t kChunk = kChunkSize;
constexpr std::size_t kSealedChunk = kEncryptedChunkSize;

X25519Identity TestIdentity(std::uint64_t seed) {
  DeterministicRandom random(seed);
  return X25519Identity::Generate(random);
}

std::vector<std::uint8_t> Seal(std::span<const Recipient* const> recipients,
                               std::span<const std::uint8_t> plaintext, std::uint64_t seed = 99) {
  DeterministicRandom random(seed);
  SpanSource source(plaintext);
  VectorSink out;
  if (!Encrypt(recipients, source, out, random).ok()) std::abort();
  return out.bytes();
}

struct Opened {
  Status status;
  std::vector<std::uint8_t> released;
};

Opened Open(std::span<const Identity* const> identities, std::span<const std::uint8_t> file) {
  SpanSource source(file);
  VectorSink out;
  Opened opened;
  opened.status = Decrypt(identities, source, out);
  opened.released = out.bytes();
  return opened;
}

std::size_t HeaderSize(std::span<const std::uint8_t> file) {
  SpanSource source(file);
  auto raw = ReadHeader(source);
  if (!raw.ok()) std::abort();
  return raw.value().encoded.size();
}

// PayloadOffset is where the first sealed chunk starts, after the nonce.
std::size_t PayloadOffset(std::span<const std::uint8_t> file) {
  return HeaderSize(file) + kPayloadNonceSize;
}

class AgeDecryptTest : public ::testing::Test {
 protected:
  void ExpectFailure(std::span<const std::uint8_t> file, Error expected) {
    const Identity* identities[] = {&alice_};
    const Opened opened = Open(identities, file);
    ASSERT_FALSE(opened.status.ok());
    EXPECT_EQ(opened.status.error(), expected);
  }

  std::vector<std::uint8_t> SealForAlice(std::span<const std::uint8_t> plaintext) {
    const Recipient* recipients[] = {&alice_recipient_};
    return Seal(recipients, plaintext);
  }

  // SealChunks builds a file for alice whose payload holds exactly the given
  // chunks, each sealed at consecutive counters with its own final flag. A
  // non-zero header_size adds a grease stanza that pads the header to it.
  std::vector<std::uint8_t> SealChunks(
      const std::vector<std::pair<std::vector<std::uint8_t>, bool>>& chunks,
      std::size_t header_size = 0) {
    DeterministicRandom random(7);
    FileKey file_key;
    random.Fill(file_key.span());
    auto stanza = alice_recipient_.Wrap(file_key, random);
    if (!stanza.ok()) std::abort();
    std::vector<Stanza> stanzas = {stanza.value()};
    const auto encode_header = [&] {
      std::string text = EncodeHeaderMacInput(stanzas);
      const auto mac = HeaderMac(file_key, AsBytes(text));
      return text + " " + EncodeBase64(mac, Base64Padding::kNone) + "\n";
    };
    if (header_size != 0) {
      stanzas.push_back(Stanza{{"grease", "x"}, PatternBytes(45000)});
      const std::size_t base = encode_header().size();
      if (header_size < base) std::abort();
      stanzas.back().args[1].append(header_size - base, 'x');
    }
    const std::string header = encode_header();
    if (header_size != 0 && header.size() != header_size) std::abort();
    std::vector<std::uint8_t> file(header.begin(), header.end());
    std::array<std::uint8_t, kPayloadNonceSize> nonce{};
    random.Fill(nonce);
    file.insert(file.end(), nonce.begin(), nonce.end());
    const auto key = PayloadKey(file_key, nonce);
    std::uint64_t counter = 0;
    for (const auto& [plain, last] : chunks) {
      std::vector<std::uint8_t> sealed(plain.size() + kTagSize);
      const auto chunk_nonce = ChunkNonce(counter++, last);
      crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), nullptr, plain.data(), plain.size(),
                                                nullptr, 0, nullptr, chunk_nonce.data(),
                                                key.data());
      file.insert(file.end(), sealed.begin(), sealed.end());
    }
    return file;
  }

  X25519Identity alice_ = TestIdentity(1);
  X25519Identity bob_ = TestIdentity(2);
  X25519Identity carol_ = TestIdentity(3);
  X25519Recipient alice_recipient_{alice_.PublicKey()};
  X25519Recipient bob_recipient_{bob_.PublicKey()};
};

TEST_F(AgeDecryptTest, RoundTripsAtEveryChunkBoundary) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1,
                           16 * kChunk, 16 * kChunk + 1, 32 * kChunk, 33 * kChunk + 5}) {
    const auto plaintext = PatternBytes(size);
    const Identity* identities[] = {&alice_};
    const Opened opened = Open(identities, SealForAlice(plaintext));
    ASSERT_TRUE(opened.status.ok()) << size;
    EXPECT_EQ(opened.released, plaintext) << size;
  }
}

TEST_F(AgeDecryptTest, EachOfSeveralRecipientsCanOpen) {
  const auto plaintext = PatternBytes(1000);
  const Recipient* recipients[] = {&alice_recipient_, &bob_recipient_};
  const auto file = Seal(recipients, plaintext);
  for (const X25519Identity* identity : {&alice_, &bob_}) {
    const Identity* identities[] = {identity};
    const Opened opened = Open(identities, file);
    ASSERT_TRUE(opened.status.ok());
    EXPECT_EQ(opened.released, plaintext);
  }
}

TEST_F(AgeDecryptTest, TriesEveryIdentityInTurn) {
  const auto plaintext = PatternBytes(100);
  const Recipient* recipients[] = {&bob_recipient_};
  const Identity* identities[] = {&carol_, &alice_, &bob_};
  const Opened opened = Open(identities, Seal(recipients, plaintext));
  ASSERT_TRUE(opened.status.ok());
  EXPECT_EQ(opened.released, plaintext);
}

TEST_F(AgeDecryptTest, WrongIdentityIsNoMatchAndReleasesNothing) {
  const Identity* identities[] = {&carol_};
  const Opened opened = Open(identities, SealForAlice(PatternBytes(100)));
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kNoMatch);
  EXPECT_TRUE(opened.released.empty());
}

TEST_F(AgeDecryptTest, NoIdentitiesIsNoMatch) {
  const Opened opened = Open({}, SealForAlice(PatternBytes(100)));
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kNoMatch);
}

TEST_F(AgeDecryptTest, FlippedPayloadByteReleasesOnlyChunksBeforeIt) {
  const auto plaintext = PatternBytes(5 * kChunk + 100);
  auto file = SealForAlice(plaintext);
  file[PayloadOffset(file) + 2 * kSealedChunk + 10] ^= 0x01;
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kPayload);
  ASSERT_EQ(opened.released.size(), 2 * kChunk);
  EXPECT_TRUE(std::equal(opened.released.begin(), opened.released.end(), plaintext.begin()));
}

TEST_F(AgeDecryptTest, FlippedPayloadByteInLaterBatchReleasesWholeChunksBeforeIt) {
  const auto plaintext = PatternBytes(33 * kChunk + 5);
  auto file = SealForAlice(plaintext);
  file[PayloadOffset(file) + 20 * kSealedChunk + kSealedChunk - 1] ^= 0x80;
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kPayload);
  ASSERT_LT(opened.released.size(), plaintext.size());
  EXPECT_EQ(opened.released.size() % kChunk, 0u);
  EXPECT_EQ(opened.released.size(), 20 * kChunk);
  EXPECT_TRUE(std::equal(opened.released.begin(), opened.released.end(), plaintext.begin()));
}

TEST_F(AgeDecryptTest, FlippedByteInFinalChunkIsPayloadFailure) {
  auto file = SealForAlice(PatternBytes(10));
  file.back() ^= 0x01;
  ExpectFailure(file, Error::kPayload);
}

TEST_F(AgeDecryptTest, TruncatingLastByteIsPayloadFailure) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk, 2 * kChunk + 1}) {
    auto file = SealForAlice(PatternBytes(size));
    file.pop_back();
    ExpectFailure(file, Error::kPayload);
  }
}

TEST_F(AgeDecryptTest, TruncatingAtChunkBoundaryIsPayloadFailure) {
  const auto plaintext = PatternBytes(3 * kChunk + 1);
  auto file = SealForAlice(plaintext);
  file.resize(PayloadOffset(file) + 2 * kSealedChunk);
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kPayload);
}

TEST_F(AgeDecryptTest, AppendingOneByteIsPayloadFailure) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk, 16 * kChunk}) {
    auto file = SealForAlice(PatternBytes(size));
    file.push_back(0);
    ExpectFailure(file, Error::kPayload);
  }
}

TEST_F(AgeDecryptTest, MissingPayloadAfterNonceIsPayloadFailure) {
  auto file = SealForAlice(PatternBytes(10));
  file.resize(PayloadOffset(file));
  ExpectFailure(file, Error::kPayload);
}

TEST_F(AgeDecryptTest, TruncatedNonceIsHeaderFailure) {
  auto file = SealForAlice(PatternBytes(10));
  file.resize(HeaderSize(file) + kPayloadNonceSize - 1);
  ExpectFailure(file, Error::kHeader);
}

TEST_F(AgeDecryptTest, FlippedMacCharacterIsHmacFailureAndReleasesNothing) {
  auto file = SealForAlice(PatternBytes(100));
  const std::size_t header_size = HeaderSize(file);
  // The first MAC character: any other Base64 letter keeps the line canonical.
  const std::size_t mac_start = header_size - 1 - 43;
  ASSERT_EQ(AsText(std::span(file).subspan(mac_start - 4, 4)), "--- ");
  file[mac_start] = file[mac_start] == 'A' ? 'B' : 'A';
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_FALSE(opened.status.ok());
  EXPECT_EQ(opened.status.error(), Error::kHmac);
  EXPECT_TRUE(opened.released.empty());
}

TEST_F(AgeDecryptTest, StanzaAddedToHeaderIsHmacFailure) {
  const auto file = SealForAlice(PatternBytes(100));
  const std::string text(AsText(file));
  const std::size_t mac_line = text.find("\n---") + 1;
  std::string forged = text.substr(0, mac_line) + "-> grease\n\n" + text.substr(mac_line);
  ExpectFailure(AsBytes(forged), Error::kHmac);
}

TEST_F(AgeDecryptTest, DamagedStanzaBodyIsNoMatch) {
  auto file = SealForAlice(PatternBytes(100));
  const std::string text(AsText(file));
  // The body is the line after the stanza's argument line.
  const std::size_t body = text.find('\n', text.find("-> X25519 ")) + 1;
  file[body] = file[body] == 'A' ? 'B' : 'A';
  ExpectFailure(file, Error::kNoMatch);
}

TEST_F(AgeDecryptTest, MalformedHeaderIsHeaderFailure) {
  auto file = SealForAlice(PatternBytes(100));
  file[0] = 'A';
  ExpectFailure(file, Error::kHeader);
  ExpectFailure({}, Error::kHeader);
}

TEST_F(AgeDecryptTest, FullFinalChunkIsAccepted) {
  const auto plaintext = PatternBytes(kChunk);
  const auto file = SealChunks({{plaintext, true}});
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_TRUE(opened.status.ok());
  EXPECT_EQ(opened.released, plaintext);
}

TEST_F(AgeDecryptTest, EmptyFinalChunkAfterDataIsPayloadFailure) {
  ExpectFailure(SealChunks({{PatternBytes(kChunk), false}, {{}, true}}), Error::kPayload);
}

TEST_F(AgeDecryptTest, ChunkAfterFinalChunkIsPayloadFailure) {
  ExpectFailure(SealChunks({{PatternBytes(kChunk), true}, {PatternBytes(5), true}}),
                Error::kPayload);
}

TEST_F(AgeDecryptTest, StreamWithoutFinalFlagIsPayloadFailure) {
  ExpectFailure(SealChunks({{PatternBytes(kChunk), false}}), Error::kPayload);
  ExpectFailure(SealChunks({{PatternBytes(kChunk), false}, {PatternBytes(5), false}}),
                Error::kPayload);
}

TEST_F(AgeDecryptTest, OpensFileWithHeaderOfExactlyMaxAgeHeaderBytes) {
  const auto plaintext = PatternBytes(5);
  const auto file = SealChunks({{plaintext, true}}, limits::kMaxAgeHeaderBytes);
  ASSERT_EQ(HeaderSize(file), limits::kMaxAgeHeaderBytes);
  const Identity* identities[] = {&alice_};
  const Opened opened = Open(identities, file);
  ASSERT_TRUE(opened.status.ok());
  EXPECT_EQ(opened.released, plaintext);
}

TEST_F(AgeDecryptTest, RejectsFileWithHeaderOfMaxAgeHeaderBytesPlusOne) {
  const auto file = SealChunks({{PatternBytes(5), true}}, limits::kMaxAgeHeaderBytes + 1);
  ExpectFailure(file, Error::kHeader);
}

TEST_F(AgeDecryptTest, OpensArmoredFile) {
  const auto plaintext = PatternBytes(2 * kChunk + 9);
  const auto file = SealForAlice(plaintext);
  VectorSink armored;
  ArmorSink armor_sink(armored);
  ASSERT_TRUE(armor_sink.Write(file).ok());
  ASSERT_TRUE(armor_sink.Finish().ok());
  SpanSource inner(armored.bytes());
  ArmorSource source(inner);
  VectorSink out;
  const Identity* identities[] = {&alice_};
  ASSERT_TRUE(Decrypt(identities, source, out).ok());
  EXPECT_EQ(out.bytes(), plaintext);
}

TEST_F(AgeDecryptTest, ScryptRoundTrip) {
  const ScryptRecipient recipient(test::SecretText("correct horse battery"), 10);
  const Recipient* recipients[] = {&recipient};
  const auto plaintext = PatternBytes(kChunk + 3);
  const auto file = Seal(recipients, plaintext);
  const ScryptIdentity identity(test::SecretText("correct horse battery"));
  const Identity* identities[] = {&identity};
  const Opened opened = Open(identities, file);
  ASSERT_TRUE(opened.status.ok());
  EXPECT_EQ(opened.released, plaintext);
}

TEST_F(AgeDecryptTest, ScryptWithWrongPassphraseOrX25519IdentityIsNoMatch) {
  const ScryptRecipient recipient(test::SecretText("correct horse battery"), 10);
  const Recipient* recipients[] = {&recipient};
  const auto file = Seal(recipients, PatternBytes(10));
  const ScryptIdentity wrong(test::SecretText("correct horse battery "));
  for (const Identity* identity : {static_cast<const Identity*>(&wrong),
                                   static_cast<const Identity*>(&alice_)}) {
    const Identity* identities[] = {identity};
    const Opened opened = Open(identities, file);
    ASSERT_FALSE(opened.status.ok());
    EXPECT_EQ(opened.status.error(), Error::kNoMatch);
  }
}

TEST_F(AgeDecryptTest, OpensFromOneByteReads) {
  const auto plaintext = PatternBytes(kChunk + 77);
  const auto file = SealForAlice(plaintext);
  test::TrickleSource source(file, 1);
  VectorSink out;
  const Identity* identities[] = {&alice_};
  ASSERT_TRUE(Decrypt(identities, source, out).ok());
  EXPECT_EQ(out.bytes(), plaintext);
}

TEST_F(AgeDecryptTest, PassesSinkErrorThrough) {
  const auto file = SealForAlice(PatternBytes(100));
  SpanSource source(file);
  test::FailingSink out(0);
  const Identity* identities[] = {&alice_};
  const Status status = Decrypt(identities, source, out);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), Error::kIo);
}

TEST_F(AgeDecryptTest, Streams64MiBWithoutHoldingIt) {
  constexpr std::uint64_t kSize = 64ull << 20;
  test::BoundedPipe pipe(1 << 20);
  Status sealed;
  std::thread writer([&] {
    DeterministicRandom random(21);
    test::PatternSource plaintext(kSize);
    const Recipient* recipients[] = {&alice_recipient_};
    sealed = Encrypt(recipients, plaintext, pipe.sink(), random);
    pipe.CloseWriter();
  });
  test::PatternCheckSink out;
  const Identity* identities[] = {&alice_};
  const Status opened = Decrypt(identities, pipe.source(), out);
  pipe.CloseReader();
  writer.join();
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(out.count(), kSize);
  EXPECT_FALSE(out.first_mismatch().has_value());
}

}  // namespace
}  // namespace amparo::crypto::age
