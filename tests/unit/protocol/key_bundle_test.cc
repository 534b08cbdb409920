// key_bundle_test.cc: signed key bundles verify against a pinned root, by
// key or by fingerprint, through root rotations; every failure of
// ENVELOPE.md section 9.3 is refused with its error and in its order; each
// size and count limit holds at N and N + 1.

#include "protocol/key_bundle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/signing_key.h"
#include "proto/key_bundle.pb.h"
#include "tests/support/deterministic_random.h"
#include "tests/unit/protocol/protocol_test_support.h"

namespace amparo::protocol {
namespace {

using crypto::SigningKey;
using test::kToday;
using test::TestContent;

SigningKey RootKey(std::uint64_t seed) {
  amparo::test::DeterministicRandom random(seed);
  return SigningKey::Generate(random);
}

std::array<std::uint8_t, 32> FingerprintOf(const SigningKey& key) {
  return crypto::Sha256(key.public_key().bytes);
}

RootEndorsementEntry Endorse(const SigningKey& previous, const SigningKey& next) {
  return {next.public_key(),
          previous.Sign(kRootEndorsementSignatureContext, next.public_key().bytes)};
}

std::vector<std::uint8_t> SignBytes(std::span<const std::uint8_t> bundle_bytes,
                                    const SigningKey& root,
                                    std::span<const RootEndorsementEntry> chain = {},
                                    std::string_view context = kKeyBundleSignatureContext) {
  const auto signature = root.Sign(context, bundle_bytes);
  return EncodeSignedKeyBundle(bundle_bytes, signature, root.public_key(), chain);
}

std::vector<std::uint8_t> Sign(const KeyBundleContent& content, const SigningKey& root,
                               std::span<const RootEndorsementEntry> chain = {}) {
  return SignBytes(EncodeKeyBundle(content), root, chain);
}

Error ErrorOf(const Result<VerifiedKeyBundle>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

class KeyBundleTest : public ::testing::Test {
 protected:
  const SigningKey root_ = RootKey(1);
  const SigningKey second_ = RootKey(2);
  const SigningKey third_ = RootKey(3);
};

TEST_F(KeyBundleTest, ContextsAreThoseOfTheSpecification) {
  EXPECT_EQ(kKeyBundleSignatureContext, std::string_view("amparo/v1 key bundle\0", 21));
  EXPECT_EQ(kRootEndorsementSignatureContext, std::string_view("amparo/v1 root endorsement\0", 27));
}

TEST_F(KeyBundleTest, VerifiesAValidBundleByKeyAndByFingerprint) {
  const auto content = TestContent();
  const auto signed_bytes = Sign(content, root_);
  auto by_key = VerifyKeyBundle(signed_bytes, root_.public_key(), kToday);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key.value().content, content);
  EXPECT_EQ(by_key.value().signing_root, root_.public_key());
  EXPECT_EQ(by_key.value().key_bundle_sha256, crypto::Sha256(EncodeKeyBundle(content)));
  auto by_fingerprint = VerifyKeyBundle(signed_bytes, FingerprintOf(root_), kToday);
  ASSERT_TRUE(by_fingerprint.ok());
  EXPECT_EQ(by_fingerprint.value().content, content);
}

TEST_F(KeyBundleTest, WrongRootIsRefused) {
  const auto signed_bytes = Sign(TestContent(), root_);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(signed_bytes, second_.public_key(), kToday)),
            Error::kBadSignature);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(signed_bytes, FingerprintOf(second_), kToday)),
            Error::kBadSignature);
  // Claiming the pinned root while another key signed.
  const auto bytes = EncodeKeyBundle(TestContent());
  const auto forged = EncodeSignedKeyBundle(bytes, second_.Sign(kKeyBundleSignatureContext, bytes),
                                            root_.public_key(), {});
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(forged, root_.public_key(), kToday)), Error::kBadSignature);
}

TEST_F(KeyBundleTest, TamperedBundleBytesAreRefused) {
  const auto bytes = EncodeKeyBundle(TestContent());
  const auto signature = root_.Sign(kKeyBundleSignatureContext, bytes);
  auto tampered = bytes;
  tampered[tampered.size() - 1] ^= 1;  // lowest_accepted_version
  const auto signed_bytes = EncodeSignedKeyBundle(tampered, signature, root_.public_key(), {});
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(signed_bytes, root_.public_key(), kToday)),
            Error::kBadSignature);
  auto bad_signature = signature;
  bad_signature[0] ^= 1;
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(EncodeSignedKeyBundle(bytes, bad_signature, root_.public_key(), {}),
                                    root_.public_key(), kToday)),
            Error::kBadSignature);
}

TEST_F(KeyBundleTest, OtherContextsAreRefused) {
  const auto bytes = EncodeKeyBundle(TestContent());
  for (std::string_view context : {std::string_view("amparo/v1 key bundle"),  // no NUL
                                   std::string_view(""), kRootEndorsementSignatureContext,
                                   std::string_view("amparo/v2 key bundle\0", 21)}) {
    EXPECT_EQ(ErrorOf(VerifyKeyBundle(SignBytes(bytes, root_, {}, context), root_.public_key(),
                                      kToday)),
              Error::kBadSignature);
  }
}

TEST_F(KeyBundleTest, FollowsATwoStepRotationFromTheOldestPinnedRoot) {
  const RootEndorsementEntry chain[] = {Endorse(root_, second_), Endorse(second_, third_)};
  const auto signed_bytes = Sign(TestContent(), third_, chain);
  // Pinned by key to the first root: the chain is followed from entry 0.
  auto from_first = VerifyKeyBundle(signed_bytes, root_.public_key(), kToday);
  ASSERT_TRUE(from_first.ok());
  EXPECT_EQ(from_first.value().signing_root, third_.public_key());
  // Pinned to the middle root, by key or fingerprint: from entry 1.
  EXPECT_TRUE(VerifyKeyBundle(signed_bytes, second_.public_key(), kToday).ok());
  EXPECT_TRUE(VerifyKeyBundle(signed_bytes, FingerprintOf(second_), kToday).ok());
  // Pinned to the newest: the chain is not consulted.
  EXPECT_TRUE(VerifyKeyBundle(signed_bytes, FingerprintOf(third_), kToday).ok());
  // Without first_root_public_key, the first root's key is not in the
  // message: a fingerprint alone cannot find it.
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(signed_bytes, FingerprintOf(root_), kToday)),
            Error::kBadSignature);
}

TEST_F(KeyBundleTest, TheFirstRootsKeyLetsItsFingerprintFollowTheChain) {
  const RootEndorsementEntry chain[] = {Endorse(root_, second_), Endorse(second_, third_)};
  const auto bundle = EncodeKeyBundle(TestContent());
  const auto signature = third_.Sign(kKeyBundleSignatureContext, bundle);
  const auto with_origin =
      EncodeSignedKeyBundle(bundle, signature, third_.public_key(), chain, root_.public_key());
  auto verified = VerifyKeyBundle(with_origin, FingerprintOf(root_), kToday);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().signing_root, third_.public_key());
  // A first root that did not endorse the chain's first entry fails it.
  const auto wrong_origin =
      EncodeSignedKeyBundle(bundle, signature, third_.public_key(), chain, RootKey(9).public_key());
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(wrong_origin, FingerprintOf(RootKey(9)), kToday)),
            Error::kBadSignature);
  // Without a chain the field is never written, and a message that carries
  // it anyway, or carries it at the wrong size, is malformed.
  const auto no_chain =
      EncodeSignedKeyBundle(bundle, signature, third_.public_key(), {}, root_.public_key());
  EXPECT_EQ(no_chain, EncodeSignedKeyBundle(bundle, signature, third_.public_key(), {}));
  v1::SignedKeyBundle message;
  ASSERT_TRUE(message.ParseFromArray(no_chain.data(), static_cast<int>(no_chain.size())));
  message.set_first_root_public_key(std::string(32, 'k'));
  const std::string forced = message.SerializeAsString();
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(AsBytes(forced), third_.public_key(), kToday)),
            kInvalidKeyBundle);
  ASSERT_TRUE(message.ParseFromArray(with_origin.data(), static_cast<int>(with_origin.size())));
  message.set_first_root_public_key(std::string(31, 'k'));
  const std::string short_key = message.SerializeAsString();
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(AsBytes(short_key), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, RefusesABrokenOrForgedChain) {
  const SigningKey intruder = RootKey(9);
  // An endorsement signed by the wrong key.
  const RootEndorsementEntry forged[] = {Endorse(root_, second_), Endorse(intruder, third_)};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), third_, forged), root_.public_key(), kToday)),
            Error::kBadSignature);
  // A chain that does not end at the signing root.
  const RootEndorsementEntry short_chain[] = {Endorse(root_, second_)};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), third_, short_chain), root_.public_key(),
                                    kToday)),
            Error::kBadSignature);
  // An endorsement under the bundle context instead of its own.
  RootEndorsementEntry wrong_context = Endorse(root_, second_);
  wrong_context.signature = root_.Sign(kKeyBundleSignatureContext, second_.public_key().bytes);
  const RootEndorsementEntry misused[] = {wrong_context};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), second_, misused), root_.public_key(),
                                    kToday)),
            Error::kBadSignature);
}

TEST_F(KeyBundleTest, RefusesARollbackOfTheRoot) {
  // A verifier that reached the second root refuses bundles of the first,
  // even when they carry the chain that endorsed the second.
  const RootEndorsementEntry chain[] = {Endorse(root_, second_)};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), root_, chain), second_.public_key(), kToday)),
            Error::kBadSignature);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), root_, chain), FingerprintOf(second_),
                                    kToday)),
            Error::kBadSignature);
}

TEST_F(KeyBundleTest, ChainLengthAtSixteenAndSeventeen) {
  std::vector<SigningKey> roots;
  for (std::uint64_t i = 0; i < 18; ++i) roots.push_back(RootKey(100 + i));
  std::vector<RootEndorsementEntry> chain;
  for (std::size_t i = 0; i + 1 < 17; ++i) chain.push_back(Endorse(roots[i], roots[i + 1]));
  ASSERT_EQ(chain.size(), 16u);
  EXPECT_TRUE(VerifyKeyBundle(Sign(TestContent(), roots[16], chain), roots[0].public_key(), kToday).ok());
  chain.push_back(Endorse(roots[16], roots[17]));
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(), roots[17], chain), roots[0].public_key(),
                                    kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, ExpiredBundleIsRefusedOnTheDayAfter) {
  auto content = TestContent();
  content.expires_day = kToday;
  EXPECT_TRUE(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday).ok());
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday + 1)),
            kExpiredKeyBundle);
}

TEST_F(KeyBundleTest, UnknownFieldsAreRefusedAtEveryLevel) {
  const auto signed_bytes = Sign(TestContent(), root_);
  // In SignedKeyBundle: field 15, varint 1.
  auto outer = signed_bytes;
  outer.push_back(0x78);
  outer.push_back(0x01);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(outer, root_.public_key(), kToday)), kInvalidKeyBundle);

  // In a RootEndorsement.
  v1::SignedKeyBundle message;
  ASSERT_TRUE(message.ParseFromArray(signed_bytes.data(), static_cast<int>(signed_bytes.size())));
  const RootEndorsementEntry chain_entry = Endorse(second_, root_);
  v1::RootEndorsement* endorsement = message.add_root_chain();
  endorsement->set_new_root_public_key(std::string(AsText(chain_entry.new_root.bytes)));
  endorsement->set_signature(std::string(AsText(chain_entry.signature)));
  std::string with_entry = message.SerializeAsString();
  EXPECT_TRUE(VerifyKeyBundle(AsBytes(with_entry), root_.public_key(), kToday).ok());
  endorsement->GetReflection()->MutableUnknownFields(endorsement)->AddVarint(7, 1);
  std::string with_unknown = message.SerializeAsString();
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(AsBytes(with_unknown), root_.public_key(), kToday)),
            kInvalidKeyBundle);

  // In the signed KeyBundle and in a RecipientKey: signed, so only the
  // unknown field is wrong.
  auto bundle_bytes = EncodeKeyBundle(TestContent());
  auto in_bundle = bundle_bytes;
  in_bundle.push_back(0x78);
  in_bundle.push_back(0x01);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(SignBytes(in_bundle, root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
  v1::KeyBundle parsed;
  ASSERT_TRUE(parsed.ParseFromArray(bundle_bytes.data(), static_cast<int>(bundle_bytes.size())));
  v1::RecipientKey* first_key = parsed.mutable_keys(0);
  first_key->GetReflection()->MutableUnknownFields(first_key)->AddVarint(9, 1);
  const std::string in_key = parsed.SerializeAsString();
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(SignBytes(AsBytes(in_key), root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, FieldSizesOfTheSignedWrapper) {
  const auto bytes = EncodeKeyBundle(TestContent());
  const auto signature = root_.Sign(kKeyBundleSignatureContext, bytes);
  const auto wrap = [&](const std::string& key_bundle, const std::string& sig,
                        const std::string& root) {
    v1::SignedKeyBundle message;
    message.set_key_bundle(key_bundle);
    message.set_signature(sig);
    message.set_root_public_key(root);
    return message.SerializeAsString();
  };
  const std::string good_bundle(AsText(bytes));
  const std::string good_signature(AsText(signature));
  const std::string good_root(AsText(root_.public_key().bytes));
  EXPECT_TRUE(VerifyKeyBundle(AsBytes(wrap(good_bundle, good_signature, good_root)),
                              root_.public_key(), kToday)
                  .ok());
  for (const auto& [key_bundle, sig, root] :
       {std::tuple{std::string(), good_signature, good_root},
        std::tuple{good_bundle, good_signature.substr(0, 63), good_root},
        std::tuple{good_bundle, good_signature + "x", good_root},
        std::tuple{good_bundle, good_signature, good_root.substr(0, 31)},
        std::tuple{good_bundle, good_signature, good_root + "x"}}) {
    EXPECT_EQ(ErrorOf(VerifyKeyBundle(AsBytes(wrap(key_bundle, sig, root)), root_.public_key(),
                                      kToday)),
              kInvalidKeyBundle);
  }
  EXPECT_EQ(ErrorOf(VerifyKeyBundle({}, root_.public_key(), kToday)), kInvalidKeyBundle);
  const std::vector<std::uint8_t> junk = {0xff, 0xff, 0xff};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(junk, root_.public_key(), kToday)), kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, SignedBundleSizeAtNAndNPlusOne) {
  // Padded with an unknown bytes field to the exact size: at the limit it is
  // parsed (and refused for that field), one byte over it is not parsed.
  const auto signed_bytes = Sign(TestContent(), root_);
  const auto padded_to = [&](std::size_t size) {
    std::vector<std::uint8_t> out = signed_bytes;
    // Field 15, wire type 2, with a 3-byte length.
    const std::size_t payload = size - out.size() - 4;
    out.push_back(0x7a);
    out.push_back(static_cast<std::uint8_t>((payload & 0x7f) | 0x80));
    out.push_back(static_cast<std::uint8_t>(((payload >> 7) & 0x7f) | 0x80));
    out.push_back(static_cast<std::uint8_t>(payload >> 14));
    out.resize(size, 0);
    return out;
  };
  const auto at = padded_to(limits::kMaxSignedKeyBundleBytes);
  ASSERT_EQ(at.size(), limits::kMaxSignedKeyBundleBytes);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(at, root_.public_key(), kToday)), kInvalidKeyBundle);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(padded_to(limits::kMaxSignedKeyBundleBytes + 1),
                                    root_.public_key(), kToday)),
            Error::kLimitExceeded);
}

TEST_F(KeyBundleTest, KeyBundleSizeAtNAndNPlusOne) {
  // At 128 KiB the bytes reach the signature check (here by a stranger's
  // key: bad signature); one byte more is refused before it.
  const SigningKey stranger = RootKey(77);
  const std::vector<std::uint8_t> at(limits::kMaxKeyBundleBytes, 0);
  const std::vector<std::uint8_t> over(limits::kMaxKeyBundleBytes + 1, 0);
  const auto sign_as_root = [&](const std::vector<std::uint8_t>& bytes) {
    return EncodeSignedKeyBundle(bytes, stranger.Sign(kKeyBundleSignatureContext, bytes),
                                 root_.public_key(), {});
  };
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(sign_as_root(at), root_.public_key(), kToday)),
            Error::kBadSignature);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(sign_as_root(over), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, KeysPerBundleAtSixtyFourAndSixtyFive) {
  KeyBundleContent content = TestContent();
  content.keys.clear();
  for (std::size_t i = 0; i < 65; ++i) {
    RecipientKeyEntry key;
    key.key_id = "key-" + std::to_string(i);
    key.body = "CAT";
    key.label = "Committee against Torture";
    key.public_key = test::IdentityFor(5000 + i).PublicKey();
    key.valid_from_day = kToday;
    key.valid_until_day = kToday;
    content.keys.push_back(key);
  }
  auto sixty_five = content;
  content.keys.pop_back();
  EXPECT_TRUE(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday).ok());
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(sixty_five, root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, RevokedIdsAtTheLimitAndOneMore) {
  KeyBundleContent content = TestContent();
  for (std::size_t i = 0; i < limits::kMaxRevokedKeyIds; ++i) {
    content.revoked_key_ids.push_back("old-" + std::to_string(i));
  }
  EXPECT_TRUE(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday).ok());
  content.revoked_key_ids.push_back("old-x");
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, BoundsOfTheContentAreCheckedAfterTheSignature) {
  auto content = TestContent();
  content.keys[1].key_id = content.keys[0].key_id;
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(content, root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
  // The same bytes under a wrong signature are a signature failure: nothing
  // is parsed before the signature verifies.
  const auto bytes = EncodeKeyBundle(content);
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(EncodeSignedKeyBundle(bytes, second_.Sign(kKeyBundleSignatureContext, bytes),
                                                          root_.public_key(), {}),
                                    root_.public_key(), kToday)),
            Error::kBadSignature);
  // Garbage that is not a KeyBundle at all, but signed.
  const std::vector<std::uint8_t> garbage = {0xff, 0xff};
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(SignBytes(garbage, root_), root_.public_key(), kToday)),
            kInvalidKeyBundle);
}

TEST_F(KeyBundleTest, NoRollback) {
  const auto five = Sign(TestContent(5), root_);
  auto accepted = VerifyKeyBundle(five, root_.public_key(), kToday);
  ASSERT_TRUE(accepted.ok());
  const AcceptedKeyBundle state = AcceptedStateOf(accepted.value());
  EXPECT_EQ(state.version, 5u);
  // The same bytes again: verifies, changes nothing.
  EXPECT_TRUE(VerifyKeyBundle(five, root_.public_key(), kToday, state).ok());
  // Newer: accepted.
  EXPECT_TRUE(VerifyKeyBundle(Sign(TestContent(6), root_), root_.public_key(), kToday, state).ok());
  // Older: rollback.
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(TestContent(4), root_), root_.public_key(), kToday, state)),
            Error::kKeyBundleRollback);
  // Same version, other bytes: rollback.
  auto other = TestContent(5);
  other.keys.pop_back();
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(other, root_), root_.public_key(), kToday, state)),
            Error::kKeyBundleRollback);
  // Newer but lowering lowest_accepted_version: would undo a revocation.
  auto raised = TestContent(7);
  raised.lowest_accepted_version = 7;
  auto raised_result = VerifyKeyBundle(Sign(raised, root_), root_.public_key(), kToday, state);
  ASSERT_TRUE(raised_result.ok());
  const AcceptedKeyBundle raised_state = AcceptedStateOf(raised_result.value());
  auto lowered = TestContent(8);
  lowered.lowest_accepted_version = 6;
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(lowered, root_), root_.public_key(), kToday, raised_state)),
            Error::kKeyBundleRollback);
}

TEST_F(KeyBundleTest, RollbackIsReportedBeforeExpiry) {
  AcceptedKeyBundle state;
  state.version = 9;
  state.lowest_accepted_version = 1;
  auto old_and_expired = TestContent(5);
  old_and_expired.expires_day = kToday - 1;
  EXPECT_EQ(ErrorOf(VerifyKeyBundle(Sign(old_and_expired, root_), root_.public_key(), kToday,
                                    state)),
            Error::kKeyBundleRollback);
}

TEST_F(KeyBundleTest, EncodingRoundTrips) {
  auto content = TestContent();
  content.revoked_key_ids = {"OLD-1", "old.2"};
  content.issued_day = 0;  // a zero value is simply absent on the wire
  EXPECT_EQ(ParseKeyBundle(EncodeKeyBundle(content)).value(), content);
  EXPECT_EQ(EncodeKeyBundle(content), EncodeKeyBundle(content));
}

}  // namespace
}  // namespace amparo::protocol
