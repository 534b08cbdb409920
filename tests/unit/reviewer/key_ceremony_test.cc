// key_ceremony_test.cc: the key life cycle on a keystore's content: keys are
// added for listed bodies only; rotation keeps the old key retiring; a
// revocation raises the lowest accepted version of the next bundle; a key
// that imported cases need is not destroyed unless forced; bundles count up
// and verify against the first root's fingerprint, also after root
// rotations.

#include "reviewer/key_ceremony.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/signatures.h"
#include "protocol/key_bundle.h"
#include "tests/support/deterministic_random.h"

namespace amparo::reviewer {
namespace {

constexpr Day kToday = 20400;

class KeyCeremonyTest : public ::testing::Test {
 protected:
  void SetUp() override { keystore_ = NewKeystoreContent(kToday, random_); }

  std::string Add(std::string_view body) {
    auto id = AddKey(*keystore_, body, "label", kToday, kDefaultKeyValidityDays, random_);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : "";
  }

  const v1::WorkstationKey& Key(std::string_view id) {
    for (const auto& key : keystore_->keys()) {
      if (key.key_id() == id) return key;
    }
    ADD_FAILURE() << "no key " << id;
    return keystore_->keys(0);
  }

  protocol::VerifiedKeyBundle Sign(Day day = kToday) {
    auto bytes = SignKeyBundle(*keystore_, day, kDefaultBundleValidityDays);
    EXPECT_TRUE(bytes.ok());
    auto pinned = crypto::ParseFingerprint(FirstRootFingerprint(*keystore_));
    auto verified = protocol::VerifyKeyBundle(bytes.value(), pinned.value(), day);
    EXPECT_TRUE(verified.ok());
    return verified.value();
  }

  static bool Offers(const protocol::VerifiedKeyBundle& bundle, std::string_view id) {
    return std::any_of(bundle.content.keys.begin(), bundle.content.keys.end(),
                       [&](const auto& key) { return key.key_id == id; });
  }

  test::DeterministicRandom random_{11};
  std::unique_ptr<v1::Keystore> keystore_;
};

TEST_F(KeyCeremonyTest, ShipsTheBodiesOfTheSeedDocuments) {
  std::vector<std::string> codes;
  for (const auto& body : keystore_->bodies()) codes.push_back(body.code());
  for (const char* code : {"CAT", "SPT", "CED", "CEDAW", "CERD", "CESCR", "CRC", "CRPD", "CMW",
                           "CCPR", "HRC_SP", "ASG_REPRISALS", "IACHR", "ACHPR"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  }
  EXPECT_TRUE(AddBody(*keystore_, "ECTHR", "European Court of Human Rights").ok());
  EXPECT_EQ(AddBody(*keystore_, "ECTHR", "again").error(), Error::kConflict);
  EXPECT_EQ(AddBody(*keystore_, "ecthr", "lower case").error(), Error::kInvalidArgument);
}

TEST_F(KeyCeremonyTest, KeysAreAddedForListedBodiesOnly) {
  EXPECT_EQ(Add("CAT"), "CAT-1");
  EXPECT_EQ(Add("CCPR"), "CCPR-2");
  EXPECT_EQ(AddKey(*keystore_, "NOPE", "l", kToday, 30, random_).error(), Error::kNotFound);
  EXPECT_EQ(AddKey(*keystore_, "CAT", "", kToday, 30, random_).error(), Error::kInvalidArgument);
  EXPECT_EQ(AddKey(*keystore_, "CAT", "l", kToday, 0, random_).error(), Error::kInvalidArgument);
  EXPECT_EQ(Key("CAT-1").state(), v1::KEY_STATE_ACTIVE);
  EXPECT_TRUE(Key("CAT-1").secret_key().starts_with("AGE-SECRET-KEY-1"));
}

TEST_F(KeyCeremonyTest, RotationKeepsTheOldKeyRetiringAndOutOfTheBundle) {
  const std::string old_id = Add("CAT");
  auto first = Sign();
  EXPECT_EQ(first.content.version, 1u);
  EXPECT_TRUE(Offers(first, old_id));

  auto new_id = RotateKey(*keystore_, old_id, kToday + 1, random_);
  ASSERT_TRUE(new_id.ok());
  EXPECT_EQ(Key(old_id).state(), v1::KEY_STATE_RETIRING);
  EXPECT_EQ(Key(old_id).replaced_by(), new_id.value());
  EXPECT_FALSE(Key(old_id).secret_key().empty());  // kept to open old envelopes
  EXPECT_EQ(RotateKey(*keystore_, old_id, kToday, random_).error(), Error::kConflict);

  auto second = Sign(kToday + 1);
  EXPECT_EQ(second.content.version, 2u);
  EXPECT_FALSE(Offers(second, old_id));
  EXPECT_TRUE(Offers(second, new_id.value()));
  // A rotation alone does not refuse envelopes sealed to the old key.
  EXPECT_EQ(second.content.lowest_accepted_version, 1u);
}

TEST_F(KeyCeremonyTest, RevocationRaisesTheLowestAcceptedVersionOnce) {
  const std::string cat = Add("CAT");
  const std::string ccpr = Add("CCPR");
  Sign();
  ASSERT_TRUE(RevokeKey(*keystore_, ccpr, kToday).ok());
  EXPECT_EQ(RevokeKey(*keystore_, ccpr, kToday).error(), Error::kConflict);
  auto second = Sign();
  EXPECT_EQ(second.content.version, 2u);
  EXPECT_EQ(second.content.lowest_accepted_version, 2u);
  EXPECT_FALSE(Offers(second, ccpr));
  EXPECT_EQ(second.content.revoked_key_ids, std::vector<std::string>{ccpr});
  auto third = Sign();
  EXPECT_EQ(third.content.lowest_accepted_version, 2u);
  EXPECT_TRUE(Offers(third, cat));
}

TEST_F(KeyCeremonyTest, DestroyIsRefusedWhileACaseNeedsTheKeyUnlessForced) {
  const std::string cat = Add("CAT");
  const std::string spare = Add("CAT");
  auto* imported = keystore_->add_cases();
  imported->add_opened_by(cat);
  EXPECT_EQ(CasesOnlyOpenedBy(*keystore_, cat), 1u);
  EXPECT_EQ(DestroyKey(*keystore_, cat, kToday, false).error(), Error::kRefused);
  EXPECT_FALSE(Key(cat).secret_key().empty());

  // Opened by two kept keys: neither alone is needed.
  imported->add_opened_by(spare);
  EXPECT_EQ(CasesOnlyOpenedBy(*keystore_, cat), 0u);
  ASSERT_TRUE(DestroyKey(*keystore_, cat, kToday, false).ok());
  EXPECT_TRUE(Key(cat).secret_key().empty());
  EXPECT_EQ(Key(cat).state(), v1::KEY_STATE_DESTROYED);
  // Now the spare is the last key that opens the case.
  EXPECT_EQ(DestroyKey(*keystore_, spare, kToday, false).error(), Error::kRefused);
  ASSERT_TRUE(DestroyKey(*keystore_, spare, kToday, true).ok());
  EXPECT_EQ(DestroyKey(*keystore_, spare, kToday, true).error(), Error::kConflict);
}

TEST_F(KeyCeremonyTest, DestroyingAnOfferedKeyWithdrawsOlderBundles) {
  Add("CAT");
  const std::string ccpr = Add("CCPR");
  Sign();
  ASSERT_TRUE(DestroyKey(*keystore_, ccpr, kToday, false).ok());
  auto second = Sign();
  EXPECT_EQ(second.content.lowest_accepted_version, 2u);
  EXPECT_EQ(second.content.revoked_key_ids, std::vector<std::string>{ccpr});
}

TEST_F(KeyCeremonyTest, NoActiveKeyNoBundle) {
  EXPECT_EQ(SignKeyBundle(*keystore_, kToday, 90).error(), Error::kInvalidArgument);
  EXPECT_EQ(keystore_->last_bundle_version(), 0u);
}

TEST_F(KeyCeremonyTest, RootRotationIsFollowedFromTheFirstRootsFingerprint) {
  Add("CAT");
  const auto first = Sign();
  const std::string first_fingerprint = FirstRootFingerprint(*keystore_);
  const std::string second_root = RotateRoot(*keystore_, kToday, random_);
  EXPECT_NE(second_root, first_fingerprint);
  EXPECT_EQ(CurrentRootFingerprint(*keystore_), second_root);
  RotateRoot(*keystore_, kToday, random_);

  auto bytes = SignKeyBundle(*keystore_, kToday, 90);
  ASSERT_TRUE(bytes.ok());
  // Pinned to the first root, to the second, and to the current one.
  for (const std::string& fingerprint :
       {first_fingerprint, second_root, CurrentRootFingerprint(*keystore_)}) {
    auto pinned = crypto::ParseFingerprint(fingerprint);
    auto verified = protocol::VerifyKeyBundle(bytes.value(), pinned.value(), kToday,
                                              protocol::AcceptedStateOf(first));
    ASSERT_TRUE(verified.ok()) << fingerprint;
    EXPECT_EQ(verified.value().content.version, 2u);
  }
  // A root outside the chain does not verify it.
  auto stranger = NewKeystoreContent(kToday, random_);
  auto pinned = crypto::ParseFingerprint(FirstRootFingerprint(*stranger));
  EXPECT_EQ(protocol::VerifyKeyBundle(bytes.value(), pinned.value(), kToday).error(),
            Error::kBadSignature);
}

}  // namespace
}  // namespace amparo::reviewer
