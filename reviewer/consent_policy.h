#pragma once
// consent_policy.h: the one place where a case's recorded consent decides
// what may be done with it (San José Guidelines para. 5(e); submission.proto,
// Consent). Every output and every course of action of the workstation asks
// here first; an unanswered decision is NO. A refusal names the consent that
// is missing, so that the focal point can ask the person again.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/submission.pb.h"
#include "proto/workstation.pb.h"

namespace amparo::reviewer {

// Use is one use of a case that a consent governs.
enum class Use {
  kRaiseWithState,     // raise the allegation with the State concerned
  kIdentifyToState,    // give the State names and identifying details
  kShareWithinUn,      // share with other UN entities for action
  kShareRegional,      // share with a regional human rights mechanism
  kSgReportAnonymous,  // the Secretary-General's report, without names
  kSgReportNamed,      // the Secretary-General's report, with names
  kPublicAnonymous,    // make public, without names
  kPublicNamed,        // make public, with names
  kContact,            // contact the person outside the gateway
  kCountInStatistics,  // count the case in aggregate statistics
};

// Permits returns OkStatus if `consent` allows `use`, else kRefused.
Status Permits(const v1::Consent& consent, Use use);

// Refusal is the message for a use that Permits refused: which consent is
// missing, in the words of the consent question.
std::string Refusal(Use use);

// UsesOf lists the uses a course of action makes of a case; names_people
// adds giving its addressee the people's names.
std::vector<Use> UsesOf(v1::CourseOfAction action, bool names_people);

// PermitsAction checks every use of a course of action; the first refused
// use decides, kRefused with its Refusal in *why.
Status PermitsAction(const v1::Consent& consent, v1::CourseOfAction action, bool names_people,
                     std::string* why);

// ConsentInForce is the consent that governs a case after its additional
// information: the case's own decisions, narrowed by every later decision.
struct ConsentInForce {
  v1::Consent consent;
  // not_applied lists the decisions of additions that would have widened the
  // consent. They are not applied: whoever holds a receipt code can send an
  // addition, and a code can be taken from a person; the focal point
  // confirms a wider consent with the person first.
  std::vector<std::string> not_applied;
};

// InForce applies `later` (the consents of the case's additions) to
// `original`. A later NO, or a narrower disclosure, takes effect; an
// unanswered decision changes nothing; a wider one is listed, not applied.
ConsentInForce InForce(const v1::Consent& original, const std::vector<v1::Consent>& later);

// Describe is one line per decision of a consent, for the focal point.
std::vector<std::string> Describe(const v1::Consent& consent);

// PublicationLevel is how a case may appear in a public output.
enum class PublicationLevel { kNone, kAnonymous, kNamed };
PublicationLevel PublicationOf(const v1::Consent& consent);

}  // namespace amparo::reviewer
