#pragma once
// case_data.h: one imported case as the casework outputs read it: its
// record in the keystore and its opened Submission. The outputs take these
// from the caller, which opens the cases, so that they are pure functions
// that tests can drive with cases of their own.

#include <string>
#include <vector>

#include "common/clock.h"
#include "proto/submission.pb.h"
#include "proto/workstation.pb.h"
#include "reviewer/consent_policy.h"

namespace amparo::reviewer {

struct CaseData {
  v1::ImportedCase record;
  v1::Submission submission;
  // consent is what every output obeys: the consent in force of the case
  // (consent_policy.h, InForce), never submission.consent() on its own. Its
  // default, all unanswered, permits nothing.
  ConsentInForce consent;
  // bodies are the bodies whose keys on this workstation open the case:
  // unlike Submission.bodies, which the submitter wrote, they say where the
  // case really went. The outputs count and print these.
  std::vector<std::string> bodies;
};

// YearOf is the calendar year (UTC) of a day.
inline int YearOf(Day day) { return std::stoi(FormatDay(day).substr(0, 4)); }

}  // namespace amparo::reviewer
