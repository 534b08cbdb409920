// consent_policy_test.cc: the one place where consent decides, case by case.
// An unanswered decision is NO; each course of action of the Guidelines
// needs exactly the consents it uses; a later decision can narrow the
// consent in force but never widen it on its own.

#include "reviewer/consent_policy.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace amparo::reviewer {
namespace {

constexpr std::array<Use, 9> kPersonalUses = {
    Use::kRaiseWithState,  Use::kIdentifyToState, Use::kShareWithinUn,  Use::kShareRegional,
    Use::kSgReportAnonymous, Use::kSgReportNamed, Use::kPublicAnonymous, Use::kPublicNamed,
    Use::kContact};

v1::Consent Everything() {
  v1::Consent consent;
  consent.set_raise_with_state(v1::CONSENT_DECISION_YES);
  consent.set_disclose_identity_to_state(v1::CONSENT_DECISION_YES);
  consent.set_share_within_un(v1::CONSENT_DECISION_YES);
  consent.set_share_with_regional_mechanisms(v1::CONSENT_DECISION_YES);
  consent.set_sg_annual_report(v1::DISCLOSURE_CONSENT_NAMED);
  consent.set_publication(v1::DISCLOSURE_CONSENT_NAMED);
  consent.set_contact(v1::CONSENT_DECISION_YES);
  return consent;
}

TEST(ConsentPolicyTest, AnUnansweredConsentPermitsNothingThatTouchesAPerson) {
  const v1::Consent unanswered;
  for (Use use : kPersonalUses) EXPECT_FALSE(Permits(unanswered, use).ok()) << static_cast<int>(use);
  EXPECT_EQ(PublicationOf(unanswered), PublicationLevel::kNone);
}

TEST(ConsentPolicyTest, ExplicitNoAndUnknownValuesPermitNothing) {
  v1::Consent consent;
  consent.set_raise_with_state(v1::CONSENT_DECISION_NO);
  consent.set_share_within_un(static_cast<v1::ConsentDecision>(7));
  consent.set_publication(v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  consent.set_sg_annual_report(static_cast<v1::DisclosureConsent>(9));
  for (Use use : kPersonalUses) EXPECT_FALSE(Permits(consent, use).ok()) << static_cast<int>(use);
}

TEST(ConsentPolicyTest, EveryConsentGivenPermitsEveryUse) {
  for (Use use : kPersonalUses) EXPECT_TRUE(Permits(Everything(), use).ok()) << static_cast<int>(use);
  EXPECT_EQ(PublicationOf(Everything()), PublicationLevel::kNamed);
}

TEST(ConsentPolicyTest, AnonymousDisclosureNeverPermitsNames) {
  v1::Consent consent;
  consent.set_publication(v1::DISCLOSURE_CONSENT_ANONYMOUS);
  consent.set_sg_annual_report(v1::DISCLOSURE_CONSENT_ANONYMOUS);
  EXPECT_TRUE(Permits(consent, Use::kPublicAnonymous).ok());
  EXPECT_FALSE(Permits(consent, Use::kPublicNamed).ok());
  EXPECT_TRUE(Permits(consent, Use::kSgReportAnonymous).ok());
  EXPECT_FALSE(Permits(consent, Use::kSgReportNamed).ok());
  EXPECT_EQ(PublicationOf(consent), PublicationLevel::kAnonymous);
}

TEST(ConsentPolicyTest, NamingPeopleToTheStateNeedsBothDecisions) {
  v1::Consent consent;
  consent.set_disclose_identity_to_state(v1::CONSENT_DECISION_YES);  // without raising
  EXPECT_FALSE(Permits(consent, Use::kIdentifyToState).ok());
  consent.set_raise_with_state(v1::CONSENT_DECISION_YES);
  EXPECT_TRUE(Permits(consent, Use::kIdentifyToState).ok());
}

TEST(ConsentPolicyTest, EveryCaseCountsInSuppressedStatistics) {
  // The decision recorded in consent_policy.cc: a suppressed count singles
  // out no one, and leaving cases out would bias the statistics.
  EXPECT_TRUE(Permits(v1::Consent(), Use::kCountInStatistics).ok());
}

// Each course of action, with and without naming people, and the one
// consent that must allow it.
struct ActionCase {
  v1::CourseOfAction action;
  bool names_people;
  std::vector<Use> uses;
};

TEST(ConsentPolicyTest, EachCourseOfActionUsesTheConsentsItNeeds) {
  const std::vector<ActionCase> table = {
      {v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER, false, {Use::kRaiseWithState}},
      {v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER, true, {Use::kRaiseWithState, Use::kIdentifyToState}},
      {v1::COURSE_OF_ACTION_MEETING_WITH_STATE, false, {Use::kRaiseWithState}},
      {v1::COURSE_OF_ACTION_MEETING_WITH_STATE, true, {Use::kRaiseWithState, Use::kIdentifyToState}},
      {v1::COURSE_OF_ACTION_PROTECTION_MEASURES, false, {Use::kRaiseWithState}},
      {v1::COURSE_OF_ACTION_PROTECTION_MEASURES, true, {Use::kRaiseWithState, Use::kIdentifyToState}},
      {v1::COURSE_OF_ACTION_REFERRAL_SPECIAL_PROCEDURES, false, {Use::kShareWithinUn}},
      {v1::COURSE_OF_ACTION_REFERRAL_ASG, false, {Use::kShareWithinUn}},
      {v1::COURSE_OF_ACTION_REGIONAL_MECHANISM, false, {Use::kShareRegional}},
      {v1::COURSE_OF_ACTION_UN_COUNTRY_TEAM, false, {Use::kShareWithinUn}},
      {v1::COURSE_OF_ACTION_SG_REPORT, false, {Use::kSgReportAnonymous}},
      {v1::COURSE_OF_ACTION_SG_REPORT, true, {Use::kSgReportNamed}},
      {v1::COURSE_OF_ACTION_CONCLUDING_OBSERVATIONS, false, {Use::kPublicAnonymous}},
      {v1::COURSE_OF_ACTION_ANNUAL_REPORT, false, {Use::kPublicAnonymous}},
      {v1::COURSE_OF_ACTION_PUBLIC_STATEMENT, false, {Use::kPublicAnonymous}},
      {v1::COURSE_OF_ACTION_PUBLIC_STATEMENT, true, {Use::kPublicNamed}},
      {v1::COURSE_OF_ACTION_WEB_POSTING, true, {Use::kPublicNamed}},
  };
  for (const ActionCase& row : table) {
    SCOPED_TRACE(v1::CourseOfAction_Name(row.action) + (row.names_people ? " naming people" : ""));
    EXPECT_EQ(UsesOf(row.action, row.names_people), row.uses);
    std::string why;
    EXPECT_TRUE(PermitsAction(Everything(), row.action, row.names_people, &why).ok());
    EXPECT_FALSE(PermitsAction(v1::Consent(), row.action, row.names_people, &why).ok());
    EXPECT_EQ(why, Refusal(row.uses.front()));
  }
}

TEST(ConsentPolicyTest, EveryCourseOfActionNeedsSomeConsent) {
  for (int value = v1::CourseOfAction_MIN + 1; value <= v1::CourseOfAction_MAX; ++value) {
    const auto action = static_cast<v1::CourseOfAction>(value);
    for (bool names : {false, true}) {
      EXPECT_FALSE(UsesOf(action, names).empty()) << v1::CourseOfAction_Name(action);
    }
  }
}

TEST(ConsentPolicyTest, UnSharingDoesNotCoverARegionalMechanism) {
  v1::Consent consent;
  consent.set_share_within_un(v1::CONSENT_DECISION_YES);
  std::string why;
  EXPECT_FALSE(PermitsAction(consent, v1::COURSE_OF_ACTION_REGIONAL_MECHANISM, false, &why).ok());
  EXPECT_EQ(why, "the person did not consent to the information being shared with a regional mechanism");
  consent.set_share_with_regional_mechanisms(v1::CONSENT_DECISION_YES);
  EXPECT_TRUE(PermitsAction(consent, v1::COURSE_OF_ACTION_REGIONAL_MECHANISM, false, &why).ok());
}

TEST(ConsentPolicyTest, ARefusalNamesTheMissingConsent) {
  v1::Consent consent;
  consent.set_raise_with_state(v1::CONSENT_DECISION_YES);
  std::string why;
  EXPECT_EQ(PermitsAction(consent, v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER, true, &why).error(),
            Error::kRefused);
  EXPECT_EQ(why, "the person did not consent to names and identifying details being given to the State");
}

TEST(ConsentInForceTest, ALaterNoWithdraws) {
  v1::Consent later;
  later.set_publication(v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  later.set_contact(v1::CONSENT_DECISION_NO);
  const ConsentInForce in_force = InForce(Everything(), {later});
  EXPECT_EQ(PublicationOf(in_force.consent), PublicationLevel::kNone);
  EXPECT_FALSE(Permits(in_force.consent, Use::kContact).ok());
  EXPECT_TRUE(Permits(in_force.consent, Use::kRaiseWithState).ok());  // not asked again
  EXPECT_TRUE(in_force.not_applied.empty());
}

TEST(ConsentInForceTest, ANarrowerDisclosureNarrows) {
  v1::Consent later;
  later.set_sg_annual_report(v1::DISCLOSURE_CONSENT_ANONYMOUS);
  const ConsentInForce in_force = InForce(Everything(), {later});
  EXPECT_TRUE(Permits(in_force.consent, Use::kSgReportAnonymous).ok());
  EXPECT_FALSE(Permits(in_force.consent, Use::kSgReportNamed).ok());
}

TEST(ConsentInForceTest, AnUnansweredLaterDecisionChangesNothing) {
  const ConsentInForce in_force = InForce(Everything(), {v1::Consent(), v1::Consent()});
  EXPECT_EQ(in_force.consent.SerializeAsString(), Everything().SerializeAsString());
  EXPECT_TRUE(in_force.not_applied.empty());
}

TEST(ConsentInForceTest, AWiderLaterDecisionIsListedNotApplied) {
  v1::Consent original;
  original.set_publication(v1::DISCLOSURE_CONSENT_ANONYMOUS);
  v1::Consent later;
  later.set_publication(v1::DISCLOSURE_CONSENT_NAMED);
  later.set_share_within_un(v1::CONSENT_DECISION_YES);
  const ConsentInForce in_force = InForce(original, {later});
  EXPECT_EQ(PublicationOf(in_force.consent), PublicationLevel::kAnonymous);
  EXPECT_FALSE(Permits(in_force.consent, Use::kShareWithinUn).ok());
  EXPECT_EQ(in_force.not_applied,
            (std::vector<std::string>{"share within the UN: yes", "publication: named"}));
}

TEST(ConsentInForceTest, AWithdrawalHoldsWhateverComesAfterIt) {
  v1::Consent withdraw;
  withdraw.set_publication(v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  v1::Consent again;
  again.set_publication(v1::DISCLOSURE_CONSENT_NAMED);
  EXPECT_EQ(PublicationOf(InForce(Everything(), {withdraw, again}).consent), PublicationLevel::kNone);
  EXPECT_EQ(PublicationOf(InForce(Everything(), {again, withdraw}).consent), PublicationLevel::kNone);
}

TEST(ConsentInForceTest, DescribeSaysEachDecision) {
  EXPECT_EQ(Describe(v1::Consent()),
            (std::vector<std::string>{"raise with the State: no", "identify people to the State: no",
                                      "share within the UN: no", "share with regional mechanisms: no",
                                      "Secretary-General's report: no", "publication: no",
                                      "contact outside the gateway: no"}));
}

}  // namespace
}  // namespace amparo::reviewer
