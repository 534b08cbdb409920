// reply_plaintext_test.cc: a sealed reply opens with its recipient's
// identity to exactly the Reply and attachments that were sealed; a reading
// refuses a wrong digest, non-zero padding, a bucket too large for its
// content and out-of-bounds replies; text and attachment counts hold at N
// and N + 1.

#include "protocol/reply_plaintext.h"

#include <gtest/gtest.h>

#include "common/io.h"
#include "common/limits.h"
#include "crypto/age_decrypt.h"
#include "crypto/identities.h"
#include "protocol/canonical_encoding.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

using Bytes = std::vector<std::uint8_t>;

v1::Reply MessageReply(std::string text) {
  v1::Reply reply;
  reply.set_format_version(1);
  reply.set_kind(v1::REPLY_KIND_MESSAGE);
  reply.set_text(std::move(text));
  reply.set_day(20000);
  reply.set_language("fr");
  return reply;
}

class ReplyPlaintextTest : public ::testing::Test {
 protected:
  Bytes Open(const Bytes& sealed) {
    SpanSource in(sealed);
    VectorSink out;
    const crypto::age::Identity* identities[] = {&identity_};
    EXPECT_TRUE(crypto::age::Decrypt(identities, in, out).ok());
    return out.bytes();
  }

  amparo::test::DeterministicRandom random_{5};
  crypto::age::X25519Identity identity_ = crypto::age::X25519Identity::Generate(random_);
};

TEST_F(ReplyPlaintextTest, ASealedReplyOpensToWhatWasSealed) {
  std::vector<ReplyAttachment> files = {{"lettre.pdf", "application/pdf", "La lettre", Bytes(70000, 7)},
                                        {"b.txt", "text/plain", "", Bytes{'h', 'i'}}};
  auto sealed = SealReply(MessageReply("Nous avons reçu votre signalement."), files,
                          identity_.PublicKey(), random_);
  ASSERT_TRUE(sealed.ok());
  const Bytes plaintext = Open(sealed.value());
  auto opened = ReadReplyPlaintext(plaintext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value().reply.text(), "Nous avons reçu votre signalement.");
  ASSERT_EQ(opened.value().attachments.size(), 2u);
  EXPECT_EQ(opened.value().attachments[0], files[0].bytes);
  EXPECT_EQ(opened.value().attachments[1], files[1].bytes);
  EXPECT_EQ(opened.value().reply.attachments(0).length(), 70000u);
  EXPECT_EQ(plaintext.size(), 71680u);  // pad(4 + S + 70002), a Padmé bucket
}

TEST_F(ReplyPlaintextTest, AStatusReplyNeedsAStatusAndAMessageNone) {
  v1::Reply status;
  status.set_format_version(1);
  status.set_kind(v1::REPLY_KIND_STATUS);
  status.set_status(v1::CASE_STATUS_UNDER_ASSESSMENT);
  EXPECT_TRUE(ValidateReply(status).ok());
  status.set_status(v1::CASE_STATUS_UNSPECIFIED);
  EXPECT_FALSE(ValidateReply(status).ok());
  v1::Reply message = MessageReply("x");
  message.set_status(v1::CASE_STATUS_CLOSED);
  EXPECT_FALSE(ValidateReply(message).ok());
}

TEST_F(ReplyPlaintextTest, TextAndAttachmentCountsAtNAndNPlusOne) {
  EXPECT_TRUE(SealReply(MessageReply(std::string(limits::kMaxReplyTextBytes, 'a')), {},
                        identity_.PublicKey(), random_).ok());
  EXPECT_EQ(SealReply(MessageReply(std::string(limits::kMaxReplyTextBytes + 1, 'a')), {},
                      identity_.PublicKey(), random_).error(), Error::kInvalidArgument);
  std::vector<ReplyAttachment> files(limits::kMaxReplyAttachments, {"f", "text/plain", "", Bytes{1}});
  EXPECT_TRUE(SealReply(MessageReply(""), files, identity_.PublicKey(), random_).ok());
  files.push_back({"f", "text/plain", "", Bytes{1}});
  EXPECT_EQ(SealReply(MessageReply(""), files, identity_.PublicKey(), random_).error(),
            Error::kInvalidArgument);
  const std::vector<ReplyAttachment> too_big = {{"f", "a/b", "", Bytes(limits::kMaxReplyPaddedBytes, 0)}};
  EXPECT_EQ(SealReply(MessageReply(""), too_big, identity_.PublicKey(), random_).error(),
            Error::kLimitExceeded);
}

TEST_F(ReplyPlaintextTest, AReadingRefusesWhatIsNotExactlyFramed) {
  auto sealed = SealReply(MessageReply("hello"), {{"a", "text/plain", "", Bytes{1, 2, 3}}},
                          identity_.PublicKey(), random_);
  ASSERT_TRUE(sealed.ok());
  const Bytes plaintext = Open(sealed.value());
  ASSERT_TRUE(ReadReplyPlaintext(plaintext).ok());
  Bytes padding = plaintext;
  padding.back() = 1;
  EXPECT_EQ(ReadReplyPlaintext(padding).error(), Error::kMalformedEnvelope);
  Bytes digest = plaintext;
  const std::size_t s = (std::size_t{plaintext[2]} << 8) | plaintext[3];
  digest[4 + s] ^= 1;  // the attachment's first byte
  EXPECT_EQ(ReadReplyPlaintext(digest).error(), Error::kMalformedEnvelope);
  Bytes larger = plaintext;
  larger.resize(8192, 0);  // a bucket, but not the smallest for this content
  EXPECT_EQ(ReadReplyPlaintext(larger).error(), Error::kMalformedEnvelope);
  Bytes not_bucket = plaintext;
  not_bucket.resize(4097, 0);
  EXPECT_EQ(ReadReplyPlaintext(not_bucket).error(), Error::kMalformedEnvelope);
  Bytes zero_length = plaintext;
  zero_length[0] = zero_length[1] = zero_length[2] = zero_length[3] = 0;
  EXPECT_EQ(ReadReplyPlaintext(zero_length).error(), Error::kMalformedEnvelope);
}

}  // namespace
}  // namespace amparo::protocol
