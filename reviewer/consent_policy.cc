#include "reviewer/consent_policy.h"

#include <string_view>

namespace amparo::reviewer {
namespace {

bool Yes(v1::ConsentDecision decision) { return decision == v1::CONSENT_DECISION_YES; }

bool AtLeastAnonymous(v1::DisclosureConsent consent) {
  return consent == v1::DISCLOSURE_CONSENT_ANONYMOUS || consent == v1::DISCLOSURE_CONSENT_NAMED;
}

// Rank orders disclosures: unknown values are NOT_AT_ALL.
int Rank(v1::DisclosureConsent consent) {
  if (consent == v1::DISCLOSURE_CONSENT_NAMED) return 2;
  if (consent == v1::DISCLOSURE_CONSENT_ANONYMOUS) return 1;
  return 0;
}

std::string_view DisclosureWord(v1::DisclosureConsent consent) {
  switch (Rank(consent)) {
    case 2: return "named";
    case 1: return "anonymous";
    default: return "no";
  }
}

void Narrow(v1::ConsentDecision* current, v1::ConsentDecision later, std::string_view question,
            std::vector<std::string>* not_applied) {
  if (later == v1::CONSENT_DECISION_UNSPECIFIED) return;  // not asked again
  if (later != v1::CONSENT_DECISION_YES) {
    *current = v1::CONSENT_DECISION_NO;
  } else if (!Yes(*current)) {
    not_applied->push_back(std::string(question) + ": yes");
  }
}

void Narrow(v1::DisclosureConsent* current, v1::DisclosureConsent later, std::string_view question,
            std::vector<std::string>* not_applied) {
  if (later == v1::DISCLOSURE_CONSENT_UNSPECIFIED) return;
  if (Rank(later) < Rank(*current)) {
    *current = Rank(later) == 0 ? v1::DISCLOSURE_CONSENT_NOT_AT_ALL : later;
  } else if (Rank(later) > Rank(*current)) {
    not_applied->push_back(std::string(question) + ": " + std::string(DisclosureWord(later)));
  }
}

constexpr std::string_view kRaise = "raise with the State";
constexpr std::string_view kIdentify = "identify people to the State";
constexpr std::string_view kShare = "share within the UN";
constexpr std::string_view kRegional = "share with regional mechanisms";
constexpr std::string_view kSgReport = "Secretary-General's report";
constexpr std::string_view kPublication = "publication";
constexpr std::string_view kContactQuestion = "contact outside the gateway";

}  // namespace

ConsentInForce InForce(const v1::Consent& original, const std::vector<v1::Consent>& later) {
  ConsentInForce result{original, {}};
  v1::Consent& c = result.consent;
  for (const v1::Consent& next : later) {
    v1::ConsentDecision decision = c.raise_with_state();
    Narrow(&decision, next.raise_with_state(), kRaise, &result.not_applied);
    c.set_raise_with_state(decision);
    decision = c.disclose_identity_to_state();
    Narrow(&decision, next.disclose_identity_to_state(), kIdentify, &result.not_applied);
    c.set_disclose_identity_to_state(decision);
    decision = c.share_within_un();
    Narrow(&decision, next.share_within_un(), kShare, &result.not_applied);
    c.set_share_within_un(decision);
    decision = c.share_with_regional_mechanisms();
    Narrow(&decision, next.share_with_regional_mechanisms(), kRegional, &result.not_applied);
    c.set_share_with_regional_mechanisms(decision);
    decision = c.contact();
    Narrow(&decision, next.contact(), kContactQuestion, &result.not_applied);
    c.set_contact(decision);
    v1::DisclosureConsent disclosure = c.sg_annual_report();
    Narrow(&disclosure, next.sg_annual_report(), kSgReport, &result.not_applied);
    c.set_sg_annual_report(disclosure);
    disclosure = c.publication();
    Narrow(&disclosure, next.publication(), kPublication, &result.not_applied);
    c.set_publication(disclosure);
  }
  return result;
}

std::vector<std::string> Describe(const v1::Consent& consent) {
  const auto word = [](v1::ConsentDecision decision) { return Yes(decision) ? "yes" : "no"; };
  return {
      std::string(kRaise) + ": " + word(consent.raise_with_state()),
      std::string(kIdentify) + ": " + word(consent.disclose_identity_to_state()),
      std::string(kShare) + ": " + word(consent.share_within_un()),
      std::string(kRegional) + ": " + word(consent.share_with_regional_mechanisms()),
      std::string(kSgReport) + ": " + std::string(DisclosureWord(consent.sg_annual_report())),
      std::string(kPublication) + ": " + std::string(DisclosureWord(consent.publication())),
      std::string(kContactQuestion) + ": " + word(consent.contact()),
  };
}

Status Permits(const v1::Consent& consent, Use use) {
  bool allowed = false;
  switch (use) {
    case Use::kRaiseWithState: allowed = Yes(consent.raise_with_state()); break;
    // Naming people to the State needs both: raising the case and identifying.
    case Use::kIdentifyToState:
      allowed = Yes(consent.raise_with_state()) && Yes(consent.disclose_identity_to_state());
      break;
    case Use::kShareWithinUn: allowed = Yes(consent.share_within_un()); break;
    case Use::kShareRegional: allowed = Yes(consent.share_with_regional_mechanisms()); break;
    case Use::kSgReportAnonymous: allowed = AtLeastAnonymous(consent.sg_annual_report()); break;
    case Use::kSgReportNamed: allowed = consent.sg_annual_report() == v1::DISCLOSURE_CONSENT_NAMED; break;
    case Use::kPublicAnonymous: allowed = AtLeastAnonymous(consent.publication()); break;
    case Use::kPublicNamed: allowed = consent.publication() == v1::DISCLOSURE_CONSENT_NAMED; break;
    case Use::kContact: allowed = Yes(consent.contact()); break;
    // A count in a table of counts, each below k suppressed (case_report.h),
    // singles out no one: every case is counted, whatever it consented to,
    // so that the statistics of reprisals are not biased towards the bold.
    case Use::kCountInStatistics: allowed = true; break;
  }
  return allowed ? OkStatus() : Status(Error::kRefused);
}

std::string Refusal(Use use) {
  switch (use) {
    case Use::kRaiseWithState: return "the person did not consent to the case being raised with the State";
    case Use::kIdentifyToState: return "the person did not consent to names and identifying details being given to the State";
    case Use::kShareWithinUn: return "the person did not consent to the information being shared with other UN entities";
    case Use::kShareRegional: return "the person did not consent to the information being shared with a regional mechanism";
    case Use::kSgReportAnonymous: return "the person did not consent to the case appearing in the Secretary-General's report";
    case Use::kSgReportNamed: return "the person did not consent to being named in the Secretary-General's report";
    case Use::kPublicAnonymous: return "the person did not consent to the case being made public";
    case Use::kPublicNamed: return "the person did not consent to being named in public";
    case Use::kContact: return "the person did not consent to being contacted outside the gateway";
    case Use::kCountInStatistics: return "the case cannot be counted";
  }
  return "the person did not consent";
}

std::vector<Use> UsesOf(v1::CourseOfAction action, bool names_people) {
  std::vector<Use> uses;
  switch (action) {
    // Protection measures are requested of the State, as letters and
    // meetings are addressed to it.
    case v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER:
    case v1::COURSE_OF_ACTION_MEETING_WITH_STATE:
    case v1::COURSE_OF_ACTION_PROTECTION_MEASURES:
      uses.push_back(Use::kRaiseWithState);
      if (names_people) uses.push_back(Use::kIdentifyToState);
      return uses;
    // Referrals bring other UN entities in, or the UN in the country.
    case v1::COURSE_OF_ACTION_REFERRAL_SPECIAL_PROCEDURES:
    case v1::COURSE_OF_ACTION_REFERRAL_ASG:
    case v1::COURSE_OF_ACTION_UN_COUNTRY_TEAM:
      uses.push_back(Use::kShareWithinUn);
      return uses;
    // A regional mechanism is not a UN body: a consent of its own.
    case v1::COURSE_OF_ACTION_REGIONAL_MECHANISM:
      uses.push_back(Use::kShareRegional);
      return uses;
    case v1::COURSE_OF_ACTION_SG_REPORT:
      uses.push_back(names_people ? Use::kSgReportNamed : Use::kSgReportAnonymous);
      return uses;
    // Concluding observations, annual reports, statements and web pages are
    // public documents.
    case v1::COURSE_OF_ACTION_CONCLUDING_OBSERVATIONS:
    case v1::COURSE_OF_ACTION_ANNUAL_REPORT:
    case v1::COURSE_OF_ACTION_PUBLIC_STATEMENT:
    case v1::COURSE_OF_ACTION_WEB_POSTING:
      uses.push_back(names_people ? Use::kPublicNamed : Use::kPublicAnonymous);
      return uses;
    default:
      return uses;
  }
}

Status PermitsAction(const v1::Consent& consent, v1::CourseOfAction action, bool names_people,
                     std::string* why) {
  for (Use use : UsesOf(action, names_people)) {
    if (!Permits(consent, use).ok()) {
      *why = Refusal(use);
      return Error::kRefused;
    }
  }
  return OkStatus();
}

PublicationLevel PublicationOf(const v1::Consent& consent) {
  if (Permits(consent, Use::kPublicNamed).ok()) return PublicationLevel::kNamed;
  if (Permits(consent, Use::kPublicAnonymous).ok()) return PublicationLevel::kAnonymous;
  return PublicationLevel::kNone;
}

}  // namespace amparo::reviewer
