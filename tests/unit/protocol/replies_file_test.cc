// replies_file_test.cc: replies files round-trip; a foreign root, an
// altered byte, a wrong magic and a non-canonical body are refused in the
// order proto/FOLLOWUP.md section 5 gives; the entry count and the sealed
// size hold at N and N + 1.

#include "protocol/replies_file.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/limits.h"
#include "crypto/signing_key.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

using crypto::SigningKey;
using Bytes = std::vector<std::uint8_t>;

SigningKey KeyOf(std::uint64_t seed) {
  amparo::test::DeterministicRandom random(seed);
  return SigningKey::Generate(random);
}

ReplyFileEntry EntryOf(std::uint64_t n, std::size_t sealed_size = 100) {
  ReplyFileEntry entry;
  entry.mailbox_id[0] = static_cast<std::uint8_t>(n);
  for (std::size_t i = 0; i < 8; ++i) entry.reply_id[15 - i] = static_cast<std::uint8_t>((n + 1) >> (8 * i));
  entry.sealed.assign(sealed_size, static_cast<std::uint8_t>(n));
  return entry;
}

RepliesFileContent ContentOf(std::size_t entries, std::size_t sealed_size = 100) {
  RepliesFileContent content;
  content.batch_number = 3;
  content.created_day = 20000;
  for (std::size_t i = 0; i < entries; ++i) content.entries.push_back(EntryOf(i, sealed_size));
  return content;
}

Bytes Sign(const RepliesFileContent& content, const SigningKey& root) {
  const Bytes bytes = EncodeReplies(content);
  return EncodeRepliesFile(bytes, root.Sign(kRepliesSignatureContext, bytes), root.public_key());
}

class RepliesFileTest : public ::testing::Test {
 protected:
  SigningKey root_ = KeyOf(1);
  std::vector<crypto::Ed25519PublicKey> roots_ = {root_.public_key()};
};

TEST_F(RepliesFileTest, RoundTripsAndNamesItsRoot) {
  const RepliesFileContent content = ContentOf(3);
  ASSERT_TRUE(ValidateReplies(content).ok());
  auto verified = VerifyRepliesFile(Sign(content, root_), roots_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().content, content);
  EXPECT_EQ(verified.value().signing_root, root_.public_key());
  EXPECT_TRUE(LooksLikeRepliesFile(Sign(content, root_)));
}

TEST_F(RepliesFileTest, AForeignRootOrAnyAlteredByteIsRefused) {
  const Bytes file = Sign(ContentOf(2), root_);
  const SigningKey other = KeyOf(2);
  EXPECT_EQ(VerifyRepliesFile(Sign(ContentOf(2), other), roots_).error(), Error::kBadSignature);
  for (std::size_t i = 0; i < file.size(); ++i) {
    Bytes altered = file;
    altered[i] ^= 1;
    EXPECT_FALSE(VerifyRepliesFile(altered, roots_).ok()) << i;
  }
  Bytes magic = file;
  magic[3] = 'A';  // an acknowledgement's magic
  EXPECT_EQ(VerifyRepliesFile(magic, roots_).error(), Error::kMalformedTransfer);
  Bytes trailing = file;
  trailing.push_back(0);
  EXPECT_EQ(VerifyRepliesFile(trailing, roots_).error(), Error::kMalformedTransfer);
}

TEST_F(RepliesFileTest, ASignedButInvalidContentIsRefusedAfterTheSignature) {
  RepliesFileContent repeated = ContentOf(2);
  repeated.entries[1].reply_id = repeated.entries[0].reply_id;
  EXPECT_EQ(VerifyRepliesFile(Sign(repeated, root_), roots_).error(), Error::kMalformedTransfer);
  RepliesFileContent zero = ContentOf(1);
  zero.entries[0].reply_id = {};
  EXPECT_EQ(VerifyRepliesFile(Sign(zero, root_), roots_).error(), Error::kMalformedTransfer);
  RepliesFileContent none = ContentOf(0);
  EXPECT_EQ(VerifyRepliesFile(Sign(none, root_), roots_).error(), Error::kMalformedTransfer);
  RepliesFileContent unnumbered = ContentOf(1);
  unnumbered.batch_number = 0;
  EXPECT_EQ(VerifyRepliesFile(Sign(unnumbered, root_), roots_).error(), Error::kMalformedTransfer);
}

TEST_F(RepliesFileTest, EntriesAndSealedSizeAtNAndNPlusOne) {
  EXPECT_TRUE(VerifyRepliesFile(Sign(ContentOf(limits::kMaxRepliesPerFile, 1), root_), roots_).ok());
  EXPECT_EQ(VerifyRepliesFile(Sign(ContentOf(limits::kMaxRepliesPerFile + 1, 1), root_), roots_).error(),
            Error::kMalformedTransfer);
  EXPECT_TRUE(VerifyRepliesFile(Sign(ContentOf(1, limits::kMaxSealedReplyBytes), root_), roots_).ok());
  EXPECT_EQ(VerifyRepliesFile(Sign(ContentOf(1, limits::kMaxSealedReplyBytes + 1), root_), roots_).error(),
            Error::kMalformedTransfer);
}

TEST_F(RepliesFileTest, TheFileSizeAtNAndNPlusOneIsCheckedBeforeReading) {
  Bytes at(limits::kMaxRepliesFileBytes, 0);
  EXPECT_EQ(VerifyRepliesFile(at, roots_).error(), Error::kMalformedTransfer);
  at.push_back(0);
  EXPECT_EQ(VerifyRepliesFile(at, roots_).error(), Error::kLimitExceeded);
}

}  // namespace
}  // namespace amparo::protocol
