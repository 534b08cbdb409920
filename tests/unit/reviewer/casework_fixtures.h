#pragma once
// casework_fixtures.h: imported cases built in memory for the casework
// tests, with the consent in force set as the workstation would set it.

#include <string>

#include "common/clock.h"
#include "reviewer/case_data.h"
#include "reviewer/consent_policy.h"

namespace amparo::reviewer::testing {

// kDay2026 is 2026-03-10, a day of 2026; kDay2025 one of 2025.
inline constexpr Day kDay2026 = 20522;
inline constexpr Day kDay2025 = 20157;

// Case builds a case of its own: id from `id`, the State concerned, one
// incident of `type`, one named individual, and `consent` in force.
inline CaseData Case(char id, std::string state, v1::ReprisalType type, const v1::Consent& consent,
                     Day arrival = kDay2026) {
  CaseData item;
  item.record.set_envelope_id(std::string(16, id));
  item.record.set_arrival_day(arrival);
  item.record.set_state(v1::CASE_STATE_RECEIVED);
  item.submission.set_state_concerned(std::move(state));
  item.submission.add_bodies("CAT");
  v1::Incident* incident = item.submission.add_incidents();
  incident->add_types(type);
  incident->add_perpetrators(v1::PERPETRATOR_KIND_STATE_AGENT);
  v1::AffectedParty* party = item.submission.add_affected();
  party->set_kind(v1::PARTY_KIND_INDIVIDUAL);
  party->set_name(std::string("Person ") + id);
  party->set_gender(v1::GENDER_WOMAN);
  item.submission.mutable_reporter()->set_name(std::string("Reporter ") + id);
  *item.submission.mutable_consent() = consent;
  item.consent = InForce(consent, {});
  item.bodies = {"CAT"};  // the body whose key opens it
  return item;
}

inline v1::Consent Publication(v1::DisclosureConsent level) {
  v1::Consent consent;
  consent.set_publication(level);
  return consent;
}

}  // namespace amparo::reviewer::testing
